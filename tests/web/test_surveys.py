"""Feedback surveys: build, invite, answer once, read the results."""

import csv
import io
import re
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Answer, Question, Registration, Respondent, Response, Survey
from app.models.types import utcnow
from app.services import surveys
from tests.conftest import PASSWORD


@pytest.fixture
def past_event(app, make_user, make_event):
    """An event that ended an hour ago: two checked in, one confirmed who did not come."""
    host = make_user("Ведуча", role="host")
    start = utcnow() - timedelta(hours=3)
    event = make_event(host=host, starts_at=start, ends_at=start + timedelta(hours=2))
    came = [make_user("Прийшла Перша", locale="uk"), make_user("Came Second", locale="en")]
    absent = make_user("Не Прийшов")
    with app.app_context():
        for person in came:
            db.session.add(
                Registration(
                    event_id=event.id, user_id=person.id, status="confirmed", checked_in_at=start
                )
            )
        db.session.add(Registration(event_id=event.id, user_id=absent.id, status="confirmed"))
        db.session.commit()
    return {"event": event, "host": host, "came": came, "absent": absent}


def create_template_survey(client, event_id, **extra):
    response = client.post(
        f"/events/{event_id}/surveys",
        data={"title": "Як пройшов вечір?", "audience": "checked_in", "template": "y", **extra},
    )
    survey_id = int(re.search(r"/surveys/(\d+)/edit", response.location).group(1))
    client.post(f"/surveys/{survey_id}/schedule", data={"scheduled": "yes"})
    return survey_id


def invite(app, now=None):
    with app.app_context():
        count = surveys.invitations.send_due_invitations(now or utcnow())
        db.session.commit()
        return count


def links(deliver) -> dict[str, str]:
    """Deliver the outbox; each recipient's survey link, by email address."""
    found = {}
    for message in deliver():
        text = message.get_body(("plain",)).get_content()
        found[message["To"]] = re.search(r"http://spilno\.test(/surveys/\S+)", text).group(1)
    return found


def link_for(deliver, email):
    return links(deliver)[email]


def questions(app, survey_id):
    with app.app_context():
        return [(q.id, q.kind) for q in db.session.get(Survey, survey_id).questions]


def full_answers(app, survey_id, rating, nps, come_again=0, text="Люди"):
    data = {}
    for question_id, kind in questions(app, survey_id):
        data[f"q{question_id}"] = {
            "rating": rating,
            "nps": nps,
            "single": come_again,
            "text": text,
        }[kind]
    return {k: str(v) for k, v in data.items()}


def test_from_template_to_results(app, client, auth, past_event, deliver):
    auth.login(past_event["host"])
    survey_id = create_template_survey(client, past_event["event"].id)
    builder = client.get(f"/surveys/{survey_id}/edit").get_data(as_text=True)
    assert "Як ви загалом оцінюєте подію?" in builder and "Чи прийшли б ви знову?" in builder

    assert invite(app) == 2  # the checked-in two, not the one who stayed away
    assert invite(app) == 0  # a second worker pass sends nothing
    first, second = past_event["came"]
    sent = links(deliver)
    link_one, link_two = sent[first.email], sent[second.email]

    phone = app.test_client()  # no login: the link is enough
    page = phone.get(link_one).get_data(as_text=True)
    assert "Як ви загалом оцінюєте подію?" in page
    sent = phone.post(link_one, data=full_answers(app, survey_id, 5, 10))
    assert sent.location == "/surveys/thanks"  # post/redirect/get: Back never sends again
    assert "Дякуємо!" in phone.get(sent.location).text
    assert "Ви вже відповіли на це опитування." in phone.get(link_one).text  # Back
    other = app.test_client()
    other.post(link_two, data=full_answers(app, survey_id, 4, 6, come_again=1, text="Кава"))

    results = client.get(f"/surveys/{survey_id}/results").get_data(as_text=True)
    assert 'id="response-count">2 / 2<' in results and 'id="response-rate">100%<' in results
    assert '<strong class="average">4.5</strong>' in results
    assert '<strong class="nps-score">0</strong>' in results  # one promoter, one detractor
    assert "Люди" in results and "Кава" in results

    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/surveys/{survey_id}/results.csv").text.removeprefix("\ufeff"))
        )
    )
    assert {r["Ім'я"] for r in rows} == {first.name, second.name}
    mine = next(r for r in rows if r["Електронна пошта"] == first.email)
    assert mine["Як ви загалом оцінюєте подію?"] == "5" and mine["Чи прийшли б ви знову?"] == "Так"


def test_required_answers_are_asked_for_and_what_was_typed_stays(
    app, client, auth, past_event, deliver, database
):
    auth.login(past_event["host"])
    survey_id = create_template_survey(client, past_event["event"].id)
    invite(app)
    link = link_for(deliver, past_event["came"][0].email)
    phone = app.test_client()
    answers = full_answers(app, survey_id, 5, 9, text="Усе супер")
    rating_question = next(q for q, kind in questions(app, survey_id) if kind == "rating")
    del answers[f"q{rating_question}"]
    page = phone.post(link, data=answers).get_data(as_text=True)
    assert "Будь ласка, дайте відповідь на це запитання." in page and "Усе супер" in page
    assert 'value="9" checked' in page
    assert database.count(Response) == 0
    # A screen reader hears which question and why: the group is described by its problem.
    name = f"q{rating_question}"
    group = page.split(f'id="question-{rating_question}"', 1)[1].split(">", 1)[0]
    assert f'aria-describedby="{name}-scale {name}-problem"' in group
    assert f'id="{name}-problem">Будь ласка, дайте відповідь на це запитання.<' in page
    assert page.count('aria-invalid="true"') == 5  # the five buttons of the 1–5 scale


def test_a_second_submit_stores_nothing(app, client, auth, past_event, deliver, database):
    auth.login(past_event["host"])
    survey_id = create_template_survey(client, past_event["event"].id)
    invite(app)
    link = link_for(deliver, past_event["came"][0].email)
    phone = app.test_client()
    phone.post(link, data=full_answers(app, survey_id, 5, 9))
    again = phone.post(link, data=full_answers(app, survey_id, 1, 0)).get_data(as_text=True)
    assert "Ви вже відповіли на це опитування." in again
    assert database.count(Response) == 1


def test_closed_or_not_for_you_says_so(app, client, auth, past_event, make_user):
    auth.login(past_event["host"])
    survey_id = create_template_survey(
        client,
        past_event["event"].id,
        closes_at=(utcnow() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
    )
    stranger = app.test_client()
    stranger.post("/auth/login", data={"email": make_user().email, "password": PASSWORD})
    assert "Це опитування — для тих, хто був на події." in stranger.get(
        f"/surveys/{survey_id}"
    ).get_data(as_text=True)
    absent = app.test_client()
    absent.post("/auth/login", data={"email": past_event["absent"].email, "password": PASSWORD})
    assert "для тих, хто був на події" in absent.get(f"/surveys/{survey_id}").get_data(as_text=True)
    with app.app_context():
        db.session.get(Survey, survey_id).closes_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    came = app.test_client()
    came.post("/auth/login", data={"email": past_event["came"][0].email, "password": PASSWORD})
    assert "Це опитування закрите." in came.get(f"/surveys/{survey_id}").get_data(as_text=True)


def test_an_anonymous_survey_keeps_no_link_to_people(app, client, auth, make_user, database):
    admin = make_user(role="admin")
    auth.login(admin)
    response = client.post(
        "/surveys/", data={"title": "Пульс спільноти", "anonymous": "y", "template": "y"}
    )
    survey_id = int(re.search(r"/surveys/(\d+)/edit", response.location).group(1))
    client.post(f"/surveys/{survey_id}/schedule", data={"scheduled": "yes"})
    for n in range(3):
        member = app.test_client()
        member.post(
            "/auth/login", data={"email": make_user(f"Анонім {n}").email, "password": PASSWORD}
        )
        assert "Дякуємо!" in member.post(
            f"/surveys/{survey_id}", data=full_answers(app, survey_id, 4, 8), follow_redirects=True
        ).get_data(as_text=True)
    stored = database.all(Response)
    assert len(stored) == 3
    assert all(r.user_id is None and r.submitted_on is None for r in stored)
    assert (
        not all(
            a < b for a, b in zip([r.id for r in stored], [r.id for r in stored][1:], strict=False)
        )
        or len({r.id[:4] for r in stored}) == 3
    )
    assert database.count(Respondent, Respondent.answered.is_(True)) == 3
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/surveys/{survey_id}/results.csv").text.removeprefix("\ufeff"))
        )
    )
    assert "Ім'я" not in rows[0] and "Електронна пошта" not in rows[0] and len(rows) == 4


def test_one_reminder_for_those_who_have_not_answered(app, client, auth, past_event, deliver):
    auth.login(past_event["host"])
    survey_id = create_template_survey(client, past_event["event"].id)
    invite(app)
    link = link_for(deliver, past_event["came"][0].email)
    app.test_client().post(link, data=full_answers(app, survey_id, 5, 9))
    assert invite(app, utcnow() + timedelta(days=1)) == 0
    assert invite(app, utcnow() + timedelta(days=4)) == 1  # only the one who did not answer
    assert invite(app, utcnow() + timedelta(days=8)) == 0
    reminders = [
        m for m in deliver() if "Reminder" in m["Subject"] or "Нагадування" in m["Subject"]
    ]
    assert [m["To"] for m in reminders] == [past_event["came"][1].email]


def test_building_questions(app, client, auth, past_event, database):
    auth.login(past_event["host"])
    response = client.post(
        f"/events/{past_event['event'].id}/surveys",
        data={"title": "Коротко", "audience": "confirmed"},
    )
    survey_id = int(re.search(r"/surveys/(\d+)/edit", response.location).group(1))
    page = client.post(
        f"/surveys/{survey_id}/edit",
        data={"kind": "single", "text": "Формат?", "options": "Лише один"},
    ).get_data(as_text=True)
    assert "Дайте щонайменше два варіанти." in page and 'value="Формат?"' in page
    client.post(
        f"/surveys/{survey_id}/edit",
        data={
            "kind": "multiple",
            "text": "Що сподобалось?",
            "options": "Люди\nКава\nМісце",
            "required": "y",
        },
    )
    client.post(f"/surveys/{survey_id}/edit", data={"kind": "rating", "text": "Оцінка?"})
    first, second = database.all(Question, Question.survey_id == survey_id)
    client.post(f"/surveys/{survey_id}/questions/{second.id}", data={"action": "up"})
    client.post(
        f"/surveys/{survey_id}/questions/{first.id}",
        data={
            "action": "save",
            "text": "Що найбільше сподобалось?",
            "options": "Люди\nКава",
            "required": "y",
        },
    )
    with app.app_context():
        ordered = db.session.get(Survey, survey_id).questions
        assert [q.text for q in ordered] == ["Оцінка?", "Що найбільше сподобалось?"]
        assert ordered[1].options == ["Люди", "Кава"]
    client.post(f"/surveys/{survey_id}/questions/{second.id}", data={"action": "delete"})
    assert [q.text for q in database.all(Question, Question.survey_id == survey_id)] == [
        "Що найбільше сподобалось?"
    ]
    preview = client.get(f"/surveys/{survey_id}?preview=1").get_data(as_text=True)
    assert "Попередній перегляд" in preview and "Що найбільше сподобалось?" in preview


def test_the_results_page_makes_the_same_number_of_queries_for_more_answers(
    app, client, auth, past_event, deliver, count_queries, make_user
):
    auth.login(past_event["host"])
    survey_id = create_template_survey(client, past_event["event"].id)
    invite(app)
    app.test_client().post(
        link_for(deliver, past_event["came"][0].email), data=full_answers(app, survey_id, 5, 9)
    )
    few = count_queries(client, f"/surveys/{survey_id}/results")
    more = [make_user(f"Більше {n}") for n in range(30)]
    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        for n, person in enumerate(more):
            response = Response(survey_id=survey_id, user_id=person.id)
            db.session.add(response)
            db.session.flush()
            for question in survey.questions:
                value = {"rating": 3, "nps": n % 11}.get(question.kind)
                db.session.add(
                    Answer(
                        response_id=response.id,
                        question_id=question.id,
                        number=value,
                        text="т" if question.kind == "text" else None,
                        option=0 if question.kind == "single" else -1,
                    )
                )
        db.session.commit()
    assert count_queries(client, f"/surveys/{survey_id}/results") == few


def test_the_same_member_submitting_twice_at_once_stores_one_response(
    app, client, auth, past_event, deliver
):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("real concurrency is tested on PostgreSQL")
    auth.login(past_event["host"])
    survey_id = create_template_survey(client, past_event["event"].id)
    invite(app)
    link = link_for(deliver, past_event["came"][0].email)
    tabs = [app.test_client() for _ in range(6)]
    for tab in tabs:
        tab.get(link)  # each tab has its form (and CSRF token) open
    data = full_answers(app, survey_id, 5, 9)
    barrier = threading.Barrier(len(tabs))
    codes = []

    def send(tab):
        barrier.wait()
        codes.append(tab.post(link, data=data).status_code)

    threads = [threading.Thread(target=send, args=(tab,)) for tab in tabs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # One goes through (and on to the thank-you page); the others are told it is answered.
    assert sorted(codes) == [200] * 5 + [302]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_the_invitation_says_the_same_time_in_its_subject_and_its_body(
    app, client, auth, past_event, deliver
):
    auth.login(past_event["host"])
    create_template_survey(client, past_event["event"].id)  # five questions: about 2 minutes
    invite(app)
    mail = next(m for m in deliver() if m["To"] == past_event["came"][0].email)
    body = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "2 хвилини для «Як пройшов вечір?»?"
    assert "це забере близько 2 хвилин і допоможе" in body
