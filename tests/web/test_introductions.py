"""Introductions both people agree to: compose, answer, reveal only on two yeses, follow up."""

import re
from datetime import timedelta
from urllib.parse import urlsplit

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Block,
    Introduction,
    MeetingMember,
    OutboxMessage,
    Round,
    Tag,
    User,
)
from app.models.types import utcnow
from app.services import introductions


def mails(app, template_prefix: str) -> dict[str, OutboxMessage]:
    """The outbox's mails whose dedupe key starts with the prefix, by recipient."""
    with app.app_context():
        rows = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.startswith(template_prefix))
        ).all()
        for row in rows:
            db.session.expunge(row)
        return {row.to: row for row in rows}


def link_in(text: str, answer: str) -> str:
    """The path of the signed link for `answer` in a mail's text."""
    for url in re.findall(r"https?://\S+", text):
        if "/answer?" in url and f"answer={answer}" in url:
            parts = urlsplit(url)
            return f"{parts.path}?{parts.query}"
    raise AssertionError(f"no {answer} link in the mail")


def tag(app, user_id: int, kind: str, name: str) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        found = db.session.scalar(sa.select(Tag).where(Tag.name == name)) or Tag(name=name)
        getattr(user, kind).append(found)
        db.session.commit()


def introduce(client, first, second, reason="Обоє будують освітні проєкти."):
    return client.post(
        "/people/introductions/new",
        data={"first_id": first.id, "second_id": second.id, "reason": reason},
    )


def test_the_engine_suggests_who_she_should_meet(app, client, auth, make_user, make_sector):
    education = make_sector()
    business = make_sector("Бізнес", "Business", "#1f5fbf")
    olena = make_user("Олена Коваль", sector_id=education.id)
    helper = make_user("Андрій Бізнес", sector_id=business.id)  # another sector, offers her ask
    make_user("Ірина Освіта", sector_id=education.id)  # same sector, nothing to give
    met = make_user("Вже Зустрічались", sector_id=business.id)
    blocked = make_user("Заблокований Хтось", sector_id=business.id)
    tag(app, olena.id, "asks", "фандрейзинг")
    tag(app, helper.id, "offers", "фандрейзинг")
    with app.app_context():
        round_ = Round(kind="coffee", number=1, status="closed", starts_at=utcnow())
        db.session.add(round_)
        db.session.flush()
        from app.models import Meeting

        meeting = Meeting(round=round_)
        meeting.members = [MeetingMember(user_id=uid, round=round_) for uid in (olena.id, met.id)]
        db.session.add_all([meeting, Block(blocker_id=blocked.id, blocked_id=olena.id)])
        db.session.commit()
    auth.login(make_user("Тарас Ведучий", role="host"))
    page = client.get(f"/people/introductions/new?first={olena.id}").text
    candidates = page[page.index('id="candidates"') :]
    names = re.findall(r'class="fw-semibold"[^>]*>([^<]+)</a>', candidates)
    assert names.index("Андрій Бізнес") < names.index("Ірина Освіта")
    assert "Вже Зустрічались" not in candidates and "Заблокований Хтось" not in candidates
    assert "може допомогти" in candidates or "can help" in candidates


def test_accepted_by_one_declined_by_the_other_reveals_nothing(
    app, client, auth, make_user, database
):
    olena = make_user("Олена Коваль", contact="@olena_k")
    petro = make_user("Петро Шевчук", contact="@petro_s")
    auth.login(make_user("Марія Менеджерка", role="admin"))
    introduce(client, olena, petro)
    [sent] = database.all(Introduction)
    assert sent.status == "proposed" and sent.introduced_by_id is not None
    asked = mails(app, "introduction-request")
    assert set(asked) == {olena.email, petro.email}
    assert "Петро Шевчук" in asked[olena.email].text_body
    assert petro.email not in asked[olena.email].text_body + asked[olena.email].html_body
    assert "@petro_s" not in asked[olena.email].html_body
    auth.logout()

    # Olena says yes from her link: the GET only shows the answer chosen; the button saves it.
    yes = link_in(asked[olena.email].text_body, "yes")
    page = client.get(yes).text
    assert "Петро Шевчук" in page and database.get(Introduction, sent.id).first_answer == "waiting"
    client.post(yes.split("&answer")[0], data={"answer": "yes", "token": _token(yes)})
    # Petro says "not now".
    not_now = link_in(asked[petro.email].text_body, "not_now")
    client.post(not_now.split("&answer")[0], data={"answer": "not_now", "token": _token(not_now)})

    found = database.get(Introduction, sent.id)
    assert (found.first_answer, found.second_answer, found.status) == ("yes", "not_now", "declined")
    assert found.meeting_id is None
    assert not mails(app, "introduction-accepted")  # nobody's contacts went anywhere
    # What Olena sees: still waiting, no contact, no trace of "not now".
    page = client.get(yes.split("&answer")[0]).text
    assert petro.email not in page and "@petro_s" not in page
    assert "introduction-waiting" in page and "introduction-agreed" not in page
    auth.login(olena)
    mine = client.get("/me/introductions").text
    assert "Петро Шевчук" in mine and "not_now" not in mine
    assert re.search(r"(Чекаємо на відповідь|Waiting for an answer)", mine)
    export = client.get("/me/export").get_json()
    [shared] = export["introductions"]
    assert shared == {**shared, "my_answer": "yes", "both_agreed": False}
    assert "not_now" not in str(export)


def _token(url: str) -> str:
    return re.search(r"token=([^&]+)", url).group(1)


def test_accepted_by_both_reveals_contacts_and_is_followed_up(
    app, client, auth, make_user, database
):
    olena = make_user("Олена Коваль", contact="@olena_k")
    petro = make_user("Петро Шевчук", contact="@petro_s")
    auth.login(make_user("Марія Менеджерка", role="admin"))
    introduce(client, olena, petro)
    auth.logout()
    asked = mails(app, "introduction-request")
    for person in (olena, petro):
        yes = link_in(asked[person.email].text_body, "yes")
        client.post(yes.split("&answer")[0], data={"answer": "yes", "token": _token(yes)})

    [found] = database.all(Introduction)
    assert found.status == "accepted" and found.meeting_id
    connected = mails(app, "introduction-accepted")
    assert petro.email in connected[olena.email].text_body
    assert "@petro_s" in connected[olena.email].html_body
    assert olena.email in connected[petro.email].text_body
    follow_ups = mails(app, "introduction-followup")
    assert set(follow_ups) == {olena.email, petro.email}
    delay = follow_ups[olena.email].send_after - found.accepted_at
    assert timedelta(days=9, hours=23) < delay <= timedelta(days=10, minutes=1)
    # The pair's meeting is a meeting like any other, both agreeing to stay in touch.
    members = database.all(MeetingMember, MeetingMember.meeting_id == found.meeting_id)
    assert {m.user_id for m in members} == {olena.id, petro.id}
    assert all(m.wants_contact for m in members)
    assert database.get(Round, members[0].round_id).kind == "introduction"

    # Ten days later, Olena answers "we met" from the follow-up.
    feedback = re.search(
        r"https?://[^/\s]+(/meetings/\d+/feedback\?token=[^\s&]+)",
        follow_ups[olena.email].text_body,
    ).group(1)
    client.post(
        feedback,
        data={"met": "yes", "rating": "5", "contact": "1", "wants_contact": "y", "comment": ""},
    )
    assert database.all(MeetingMember, MeetingMember.user_id == olena.id)[0].met == "yes"
    auth.login(make_user("Тарас Ведучий", role="host"))
    dashboard = client.get("/dashboard").text
    block = dashboard[dashboard.index('id="introductions"') :]
    assert re.search(r'id="introductions-made"><span class="stat-box-number">1<', block)
    assert re.search(r'id="introductions-accepted"><span class="stat-box-number">1<', block)
    assert re.search(r'id="introductions-met"><span class="stat-box-number">1<', block)
    # …and counts in the engagement levels as a meeting that happened.
    with app.app_context():
        from app.services import levels

        assert levels.activity_of(olena.id)["met"] == 1


def test_wrong_introductions_are_refused_and_nothing_is_saved(
    app, client, auth, make_user, database
):
    olena = make_user("Олена Коваль")
    petro = make_user("Петро Шевчук")
    blocker = make_user("Не Хоче")
    with app.app_context():
        db.session.add(Block(blocker_id=blocker.id, blocked_id=olena.id))
        db.session.commit()
    auth.login(make_user("Марія Менеджерка", role="admin", locale="en"))
    cases = [
        (olena, olena, "A reason", "nobody needs an introduction to themselves"),
        (olena, blocker, "A reason", "asked never to be paired"),
        (olena, petro, "   ", "This field is required"),
        (olena, petro, "я" * 1001, "1000"),
    ]
    for first, second, reason, message in cases:
        page = introduce(client, first, second, reason).text
        assert message in page, message
        assert database.count(Introduction) == 0
    page = introduce(client, olena, petro, "я" * 1001).text
    assert "я" * 1001 in page  # what was typed stays in the form
    introduce(client, olena, petro)
    page = introduce(client, petro, olena, "Ще раз").text  # the same pair, the other way round
    assert "introduced in the last 90 days" in page
    assert database.count(Introduction) == 1


def test_a_member_asks_and_the_team_sends_it_on(app, client, auth, make_user, database):
    olena = make_user("Олена Коваль")
    petro = make_user("Петро Шевчук")
    auth.login(olena)
    profile = client.get(f"/members/{petro.id}").text
    assert f'action="/members/{petro.id}/meet"' in profile
    empty = client.post(f"/members/{petro.id}/meet", data={"reason": ""}).text
    assert "ask-to-meet" in empty and database.count(Introduction) == 0
    client.post(f"/members/{petro.id}/meet", data={"reason": "Шукаю ментора з фандрейзингу."})
    [asked] = database.all(Introduction)
    assert asked.status == "requested" and asked.requested and asked.first_id == olena.id
    assert not mails(app, "introduction-request")  # Petro hears nothing until the team acts
    assert "Петро Шевчук" in client.get("/me/introductions").text
    auth.logout()
    # Petro cannot see the request, even signed in.
    auth.login(petro)
    assert client.get(f"/people/introductions/{asked.id}/answer").status_code == 404
    assert "Олена Коваль" not in client.get("/me/introductions").text
    auth.logout()

    auth.login(make_user("Марія Менеджерка", role="admin"))
    queue = client.get("/people/introductions").text
    requests = queue[queue.index('id="requests"') : queue.index('id="waiting"')]
    assert "Шукаю ментора з фандрейзингу." in requests
    composer = client.get(f"/people/introductions/new?request={asked.id}").text
    assert "Шукаю ментора з фандрейзингу." in composer
    client.post(
        "/people/introductions/new",
        data={"first_id": olena.id, "second_id": petro.id, "request_id": asked.id,
              "reason": "Олена шукає ментора, Петро давно робить фандрейзинг."},
    )  # fmt: skip
    sent = database.get(Introduction, asked.id)
    assert sent.status == "proposed" and sent.first_answer == "yes"
    assert set(mails(app, "introduction-request")) == {petro.email}  # Olena said yes already
    assert database.count(Introduction) == 1


def test_a_request_set_aside_is_never_shown_to_the_other(app, client, auth, make_user, database):
    olena = make_user("Олена Коваль")
    petro = make_user("Петро Шевчук")
    with app.app_context():
        asked = introductions.request_introduction(
            db.session.get(User, olena.id), petro.id, "Хочу познайомитися."
        )
        db.session.commit()
        asked_id = asked.id
    auth.login(make_user("Марія Менеджерка", role="admin"))
    client.post(f"/people/introductions/{asked_id}/dismiss")
    assert database.get(Introduction, asked_id).status == "dismissed"
    auth.logout()
    auth.login(petro)
    assert "Олена" not in client.get("/me/introductions").text
    assert client.get(f"/people/introductions/{asked_id}/answer").status_code == 404


def test_no_member_sees_anothers_level_notes_or_introductions(
    app, client, auth, make_user, database
):
    from app.models import LevelSnapshot, Note

    olena = make_user("Олена Коваль")
    petro = make_user("Петро Шевчук")
    nosy = make_user("Цікавий Сусід")
    admin = make_user("Марія Менеджерка", role="admin")
    with app.app_context():
        db.session.add(LevelSnapshot(user_id=olena.id, month=utcnow().date().replace(day=1),
                                     level="core", score=30))  # fmt: skip
        db.session.add(Note(about_id=olena.id, author_id=admin.id, text="Веде освітній хаб."))
        db.session.add(Introduction(first_id=olena.id, second_id=petro.id, reason="Привід.",
                                    status="declined", first_answer="not_now",
                                    sent_at=utcnow()))  # fmt: skip
        db.session.commit()
        intro_id = db.session.scalar(sa.select(Introduction.id))
    auth.login(nosy)
    page = client.get(f"/members/{olena.id}").text
    assert "level-badge" not in page and "Веде освітній хаб." not in page
    assert 'id="story"' not in page and "Привід." not in page
    assert client.get(f"/people/introductions/{intro_id}/answer").status_code == 404
    assert client.get("/people/introductions").status_code == 403
    auth.logout()
    auth.login(petro)  # in the introduction, but Olena's "not now" stays hers
    answer = client.get(f"/people/introductions/{intro_id}/answer").text
    assert "not_now" not in answer.replace('value="not_now"', "")
    assert "introduction-agreed" not in answer
    auth.logout()
    auth.login(admin)  # the team sees the story, the note and the answer
    page = client.get(f"/members/{olena.id}").text
    assert 'id="story"' in page and "Веде освітній хаб." in page and "Петро Шевчук" in page


def test_who_should_she_meet_reads_the_same_queries_for_any_community(
    app, client, auth, make_user, make_sector, count_queries
):
    sectors = [make_sector(f"Сектор {n}", f"Sector {n}", "#1f5fbf") for n in range(3)]
    olena = make_user("Олена Коваль", sector_id=sectors[0].id)
    auth.login(make_user("Тарас Ведучий", role="host"))
    url = f"/people/introductions/new?first={olena.id}"
    for n in range(4):
        make_user(f"Людина {n}", sector_id=sectors[n % 3].id)
    small = count_queries(client, url)
    for n in range(4, 40):
        make_user(f"Людина {n}", sector_id=sectors[n % 3].id)
    assert count_queries(client, url) == small


def test_finding_the_two_people_by_name(app, client, auth, make_user):
    olena = make_user("Олена Коваль")
    oleh = make_user("Олег Коваль")
    auth.login(make_user("Тарас Ведучий", role="host"))
    queue = client.get("/people/introductions?q=Коваль").text
    results = queue[queue.index("search-results") :]
    assert f"/people/introductions/new?first={olena.id}" in results
    assert f"/people/introductions/new?first={oleh.id}" in results
    composer = client.get(f"/people/introductions/new?first={olena.id}&q=Коваль").text
    found = composer[composer.index("search-results") :]
    assert f"first={olena.id}&amp;second={oleh.id}" in found
    assert f"second={olena.id}" not in found  # not introduced to herself
    nobody = client.get("/people/introductions?q=Нікого").text
    assert "Нікого не знайдено." in nobody
