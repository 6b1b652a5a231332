"""A member knows where they stand: their events, their place in a waitlist, their ticket."""

import re
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Registration, Survey
from app.models.types import utcnow
from tests.conftest import PASSWORD


def seat(app, event, person, status="confirmed", minutes_ago=0, **fields):
    with app.app_context():
        db.session.add(
            Registration(
                event_id=event.id,
                user_id=person.id,
                status=status,
                created_at=utcnow() - timedelta(minutes=minutes_ago),
                **fields,
            )
        )
        db.session.commit()


def member(app, person):
    """A browser of this person's own, signed in."""
    client = app.test_client()
    client.post("/auth/login", data={"email": person.email, "password": PASSWORD})
    return client


@pytest.fixture
def evening(app, make_user, make_event):
    """One seat taken by Олена; Тарас and then Ірина wait for it."""
    event = make_event(title="Кава з наукою", capacity=1)
    people = [make_user(name) for name in ("Олена Перша", "Тарас Другий", "Ірина Третя")]
    seat(app, event, people[0], "confirmed", minutes_ago=30)
    seat(app, event, people[1], "waitlisted", minutes_ago=20)
    seat(app, event, people[2], "waitlisted", minutes_ago=10)
    return people


def test_each_sees_their_own_place_and_the_confirmed_their_ticket(app, evening):
    going, first, second = evening
    page = member(app, second).get("/me/events").text
    assert "Кава з наукою" in page and "Ви №2 у списку очікування" in page
    assert "ticket-qr" not in page  # no ticket without a seat
    assert "Ви №1 у списку очікування" in member(app, first).get("/me/events").text
    page = member(app, going).get("/me/events").text
    assert "✓ Ви йдете" in page and "Показати мій квиток" in page
    assert page.count('class="ticket-qr"') == 1


def test_the_events_list_says_where_the_viewer_stands(app, client, evening):
    going, _, second = evening
    assert "Місць немає — є список очікування" in client.get("/events/").text  # a guest
    assert "Ви №2 у списку очікування" in member(app, second).get("/events/").text
    going_browser = member(app, going)
    assert "✓ Ви йдете" in going_browser.get("/events/").text
    assert "✓ Ви йдете" in going_browser.get("/").text  # the home page's cards too


def test_past_events_say_who_came_and_whether_you_did_and_ask_for_the_survey(
    app, make_user, make_event
):
    start = utcnow() - timedelta(days=2)
    past = make_event(title="Минулий вечір", starts_at=start, ends_at=start + timedelta(hours=2))
    came, absent = make_user("Прийшла"), make_user("Не прийшов")
    seat(app, past, came, checked_in_at=start)
    seat(app, past, absent)
    with app.app_context():
        db.session.add(Survey(event_id=past.id, title="Відгук", scheduled=True, opens_at=start))
        db.session.commit()
    page = member(app, came).get("/me/events").text
    assert "Минулий вечір" in page and "ви прийшли" in page
    assert "Розкажіть, як пройшло" in page  # the survey is for those who came
    listing = member(app, came).get("/events/?when=past").text
    card = listing.split("Минулий вечір", 1)[1].split("</a>", 1)[0]
    assert "прийшла 1 людина" in card and "місц" not in card  # never "seats left"
    page = member(app, absent).get("/me/events").text
    assert "вас не відмітили на вході" in page and "Розкажіть, як пройшло" not in page


def test_cancelled_seats_and_drafts_are_not_listed(app, client, auth, make_user, make_event):
    person = make_user("Оксана")
    seat(app, make_event(title="Скасоване місце"), person, "cancelled")
    seat(app, make_event(title="Чернетка", status="draft"), person)
    auth.login(person)
    page = client.get("/me/events").text
    assert "Скасоване місце" not in page and "Чернетка" not in page
    assert "У вас немає найближчих подій." in page


def test_the_page_costs_the_same_queries_for_one_event_or_ten(
    app, client, auth, make_user, make_event, count_queries
):
    person = make_user("Марта")
    seat(app, make_event(title="Одна"), person, "waitlisted")
    auth.login(person)
    with_one = count_queries(client, "/me/events")
    for n in range(9):
        seat(app, make_event(title=f"Подія {n}"), person, ("confirmed", "waitlisted")[n % 2])
    assert count_queries(client, "/me/events") == with_one


def test_the_confirmation_mail_carries_the_ticket_code(
    app, client, make_user, make_event, deliver, tmp_path
):
    event = make_event(title="Вечір з квитком")
    person = make_user("Олена Квиткова")
    member(app, person).post(f"/events/{event.id}/register")
    [mail] = [m for m in deliver() if m["To"] == person.email]
    html = mail.get_body(("html",)).get_content()
    src = html.split('<img src="', 1)[1].split('"', 1)[0]
    assert src.startswith("http://spilno.test/t/") and src.endswith("/code.png")
    assert "Мої події" in mail.get_body(("plain",)).get_content()
    picture = client.get(src.removeprefix("http://spilno.test"))
    assert picture.mimetype == "image/png"
    (tmp_path / "code.png").write_bytes(picture.data)
    read = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "code.png")], capture_output=True, text=True
    )
    with app.app_context():
        token = db.session.scalar(sa.select(Registration.ticket_token))
    assert read.stdout.strip() == f"http://spilno.test/t/{token}"
    assert client.get("/t/not-a-ticket-at-all/code.png").status_code == 404


def test_who_is_going_is_shown_to_members_only_and_only_those_who_allow_it(
    app, client, make_user, make_event, make_sector
):
    event = make_event(title="Вечір")
    science = make_sector("Наука", "Science", "#0f7c8c")
    shown = make_user("Олена Видима", sector_id=science.id, organisation="Інститут")
    hidden = make_user("Тарас Прихований", show_going=False)
    waiting = make_user("Ірина Чекає")
    seat(app, event, shown)
    seat(app, event, hidden)
    seat(app, event, waiting, "waitlisted")
    guest_page = client.get(f"/events/{event.id}").text
    assert "Хто йде" not in guest_page and "Олена Видима" not in guest_page
    page = member(app, make_user("Читачка")).get(f"/events/{event.id}").text
    going = page.split('id="going-heading"', 1)[1].split("</section>", 1)[0]
    assert "Олена Видима" in going and "Наука · Інститут" in going
    assert "Тарас Прихований" not in going and "Ірина Чекає" not in going
    assert "і ще 1" in going  # the one who chose not to be shown is counted, not named


def test_a_member_says_no_to_being_shown_in_their_profile(app, make_user, database):
    from app.models import User

    person = make_user("Оксана")
    browser = member(app, person)
    form = browser.get("/me").text
    assert re.search(r'<input[^>]* checked [^>]*id="show_going"', form)  # on by default
    browser.post("/me", data={"name": "Оксана", "sector_id": 0})  # the box left unticked
    assert database.get(User, person.id).show_going is False
