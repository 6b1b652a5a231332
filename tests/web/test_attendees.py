"""At the door: the host's list, one-tap check-in, approvals, CSV, ticket scans."""

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Event, Registration, User
from app.models.types import utcnow
from tests.conftest import PASSWORD

HTMX = {"HX-Request": "true"}


@pytest.fixture
def door(app, client, auth, make_event, make_user, make_sector):
    """An event with a host logged in, two confirmed, one waitlisted, one pending elsewhere."""
    sector = make_sector()
    host = make_user("Ведуча Ірина", role="host")
    event = make_event(host=host, capacity=2)
    people = [
        make_user(
            "Олена Коваль", email="olena@example.org", sector_id=sector.id, organisation="Освіторія"
        ),
        make_user("Богдан Мороз", email="bohdan@example.org"),
        make_user("Юлія Бойко", email="yulia@example.org"),
    ]
    for person in people:
        member = app.test_client()
        member.post("/auth/login", data={"email": person.email, "password": PASSWORD})
        member.post(f"/events/{event.id}/register")
    auth.login(host)
    with app.app_context():
        seats = {
            r.user_id: r
            for r in db.session.scalars(
                sa.select(Registration).where(Registration.event_id == event.id)
            )
        }
        db.session.expunge_all()
    return {"event": event, "host": host, "people": people, "seats": seats}


def seat_of(door, index):
    return door["seats"][door["people"][index].id]


def test_the_list_counts_and_searches(client, door):
    event = door["event"]
    page = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert 'id="count-confirmed">2<' in page and 'id="count-checked-in">0<' in page
    assert "Олена Коваль" in page and "Юлія Бойко" in page
    found = client.get(f"/events/{event.id}/attendees?q=МОРОЗ").get_data(as_text=True)
    assert "Богдан Мороз" in found and "Олена Коваль" not in found
    by_email = client.get(f"/events/{event.id}/attendees?q=yulia@").get_data(as_text=True)
    assert "Юлія Бойко" in by_email and "Богдан Мороз" not in by_email


def test_live_search_returns_only_the_rows(client, door):
    event = door["event"]
    rows = client.get(
        f"/events/{event.id}/attendees?q=олена",
        headers={**HTMX, "HX-Target": "attendee-rows"},
    ).get_data(as_text=True)
    assert rows.lstrip().startswith("<tr") and "Олена Коваль" in rows and "<html" not in rows


def test_one_tap_check_in_swaps_the_row_and_undo_reverts(client, door, database):
    event, seat = door["event"], seat_of(door, 0)
    row = client.post(f"/events/{event.id}/attendees/{seat.id}/check-in", headers=HTMX).get_data(
        as_text=True
    )
    assert row.lstrip().startswith(f'<tr id="reg-{seat.id}"') and "is-checked-in" in row
    count = '<span id="count-checked-in" class="stat-box-number" data-hx-swap-oob="true">1</span>'
    assert count in row
    assert database.get(Registration, seat.id).checked_in_at is not None
    page = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert 'id="count-checked-in">1<' in page

    row = client.post(f"/events/{event.id}/attendees/{seat.id}/undo", headers=HTMX).get_data(
        as_text=True
    )
    assert "is-checked-in" not in row
    assert database.get(Registration, seat.id).checked_in_at is None


def test_the_waitlisted_cannot_be_checked_in(client, door, database):
    event, seat = door["event"], seat_of(door, 2)
    row = client.post(f"/events/{event.id}/attendees/{seat.id}/check-in", headers=HTMX).get_data(
        as_text=True
    )
    assert "Відмітити можна лише підтверджених учасників." in row
    assert database.get(Registration, seat.id).checked_in_at is None


def test_bulk_check_in_takes_only_the_confirmed(client, door, database):
    event = door["event"]
    ids = [str(seat_of(door, n).id) for n in range(3)]
    page = client.post(
        f"/events/{event.id}/attendees/check-in", data={"ids": ids}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Відмічено 2 людини." in page
    checked = [database.get(Registration, int(i)).checked_in_at is not None for i in ids]
    assert checked == [True, True, False]


def test_after_the_event_the_not_checked_in_are_no_shows(app, client, door):
    event = door["event"]
    with app.app_context():
        stored = db.session.get(Event, event.id)
        stored.starts_at = utcnow() - timedelta(days=1, hours=3)
        stored.ends_at = utcnow() - timedelta(days=1)
        db.session.commit()
    client.post(f"/events/{event.id}/attendees/{seat_of(door, 0).id}/check-in")
    page = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert 'id="count-not-in">1<' in page and "не прийшли" in page
    no_shows = client.get(f"/events/{event.id}/attendees?show=not_checked_in").get_data(
        as_text=True
    )
    assert "Богдан Мороз" in no_shows and "Олена Коваль" not in no_shows


def test_the_csv_export(client, door):
    event = door["event"]
    client.post(f"/events/{event.id}/attendees/{seat_of(door, 0).id}/check-in")
    response = client.get(f"/events/{event.id}/attendees.csv")
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads Cyrillic only with the BOM
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0]) == [
        "Ім'я", "Електронна пошта", "Сектор", "Організація", "Статус", "Зареєструвалися",
        "Прийшли о",
    ]  # fmt: skip
    olena = next(r for r in rows if r["Електронна пошта"] == "olena@example.org")
    assert (olena["Ім'я"], olena["Сектор"], olena["Організація"], olena["Статус"]) == (
        "Олена Коваль",
        "Освіта",
        "Освіторія",
        "підтверджено",
    )
    assert olena["Прийшли о"] and olena["Зареєструвалися"]
    assert {r["Статус"] for r in rows} == {"підтверджено", "в очікуванні"}


def test_a_name_written_as_a_formula_stays_text_in_the_csv(client, door, app):
    person = door["people"][0]
    with app.app_context():
        user = db.session.get(User, person.id)
        user.name = '=HYPERLINK("http://evil.example","Натисни")'
        user.organisation = "+380 Тест"
        db.session.commit()
    text = client.get(f"/events/{door['event'].id}/attendees.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    row = next(r for r in rows if r[1] == person.email)
    assert row[0] == '\'=HYPERLINK("http://evil.example","Натисни")'
    assert row[3] == "'+380 Тест"


class TestTicket:
    def test_a_scan_shows_the_person_and_a_button_that_checks_them_in(self, client, door, database):
        seat = seat_of(door, 0)
        page = client.get(f"/t/{seat.ticket_token}").get_data(as_text=True)
        assert "Підтверджено: відмітити?" in page and "Олена Коваль" in page
        assert database.get(Registration, seat.id).checked_in_at is None  # a GET changes nothing
        page = client.post(f"/t/{seat.ticket_token}").get_data(as_text=True)
        assert "Відмічено" in page and "Олена Коваль" in page
        assert database.get(Registration, seat.id).checked_in_at is not None

    def test_a_second_scan_says_when(self, client, door, database):
        seat = seat_of(door, 0)
        client.post(f"/t/{seat.ticket_token}")
        stored = database.get(Registration, seat.id).checked_in_at
        page = client.get(f"/t/{seat.ticket_token}").get_data(as_text=True)
        local = stored.astimezone(door["event"].zone).strftime("%H:%M")
        assert f"Уже відмічено о {local}" in page

    def test_a_waitlisted_ticket_is_not_checked_in(self, client, door, database):
        seat = seat_of(door, 2)
        page = client.post(f"/t/{seat.ticket_token}").get_data(as_text=True)
        assert "Не підтверджено: в очікуванні" in page
        assert database.get(Registration, seat.id).checked_in_at is None

    def test_anyone_else_sees_the_members_profile(self, app, door, make_user, database):
        seat = seat_of(door, 0)
        stranger = app.test_client()
        stranger.post("/auth/login", data={"email": make_user().email, "password": PASSWORD})
        response = stranger.post(f"/t/{seat.ticket_token}")
        assert response.location == f"/members/{door['people'][0].id}"
        assert database.get(Registration, seat.id).checked_in_at is None

    def test_an_unknown_ticket_is_not_found(self, client, door):
        assert client.get("/t/not-a-ticket").status_code == 404


class TestApprovalAtTheDoor:
    def test_approve_and_decline_with_a_reason(
        self, app, client, auth, make_event, make_user, database
    ):
        host = make_user(role="host")
        event = make_event(host=host, requires_approval=True, capacity=5)
        asking = [make_user("Прохач Один"), make_user("Прохач Два")]
        for person in asking:
            member = app.test_client()
            member.post("/auth/login", data={"email": person.email, "password": PASSWORD})
            member.post(f"/events/{event.id}/register")
        auth.login(host)
        pending = client.get(f"/events/{event.id}/attendees?show=pending").get_data(as_text=True)
        assert "Прохач Один" in pending and "Схвалити" in pending
        first, second = database.all(Registration)
        client.post(f"/events/{event.id}/attendees/{first.id}/approve")
        client.post(
            f"/events/{event.id}/attendees/{second.id}/reject", data={"reason": "Лише для освітян"}
        )
        assert [r.status for r in database.all(Registration)] == ["confirmed", "rejected"]
        assert database.get(Registration, second.id).rejection_reason == "Лише для освітян"

    def test_requests_show_sector_and_newcomer_and_are_approved_in_bulk(
        self, app, client, auth, make_event, make_user, make_sector, database
    ):
        host = make_user(role="host")
        event = make_event(host=host, requires_approval=True, capacity=2)
        science = make_sector("Наука", "Science", "#0f7c8c")
        asking = [
            make_user("Нова Людина", sector_id=science.id),
            make_user("Давня Людина", created_at=utcnow() - timedelta(days=400)),
            make_user("Третя Людина"),
        ]
        for person in asking:
            member = app.test_client()
            member.post("/auth/login", data={"email": person.email, "password": PASSWORD})
            member.post(f"/events/{event.id}/register")
        auth.login(host)
        page = client.get(f"/events/{event.id}/attendees?show=pending").text
        new_row = page.split("Нова Людина", 1)[1].split("</tr>", 1)[0]
        old_row = page.split("Давня Людина", 1)[1].split("</tr>", 1)[0]
        assert "Наука" in new_row and "новачок" in new_row and "новачок" not in old_row
        assert "Схвалити вибраних" in page
        ids = [r.id for r in database.all(Registration)]
        response = client.post(
            f"/events/{event.id}/attendees/approve", data={"ids": ids}, follow_redirects=True
        )
        # Two seats: the first two asked get them, the third waits for one.
        assert "Підтверджено: 2, у списку очікування: 1." in response.text
        statuses = [r.status for r in database.all(Registration)]
        assert statuses == ["confirmed", "confirmed", "waitlisted"]


class TestDoorMode:
    def scan(self, client, door, text):
        response = client.post(f"/events/{door['event'].id}/door", data={"ticket": text})
        assert response.status_code == 200
        return response.text

    def test_the_page_may_use_the_camera_and_no_other_page_may(self, client, door):
        page = client.get(f"/events/{door['event'].id}/door")
        assert "camera=(self)" in page.headers["Permissions-Policy"]
        assert (
            "camera=()"
            in client.get(f"/events/{door['event'].id}/attendees").headers["Permissions-Policy"]
        )
        assert "vendor/jsqr/jsQR.js" in page.text

    def test_each_scanned_ticket_says_what_happened(
        self, client, door, make_event, make_user, database
    ):
        first, waitlisted = seat_of(door, 0), seat_of(door, 2)
        link = f"http://spilno.test/t/{first.ticket_token}"
        checked = self.scan(client, door, link)
        assert 'data-outcome="checked_in"' in checked and "Олена Коваль" in checked
        assert database.get(Registration, first.id).checked_in_at is not None
        again = self.scan(client, door, link)
        assert 'data-outcome="already"' in again and "Уже відмічено о" in again
        waiting = self.scan(client, door, waitlisted.ticket_token)  # the bare token reads too
        assert 'data-outcome="not_confirmed"' in waiting
        assert database.get(Registration, waitlisted.id).checked_in_at is None

    def test_a_foreign_or_garbled_code_checks_nobody_in(
        self, app, client, door, make_event, make_user, database
    ):
        other_event = make_event(title="Інша подія")
        stranger = make_user("Чужа Людина")
        with app.app_context():
            seat = Registration(event_id=other_event.id, user_id=stranger.id, status="confirmed")
            db.session.add(seat)
            db.session.commit()
            token = seat.ticket_token
        for text in (f"http://spilno.test/t/{token}", "https://example.org/", "", "t/%00"):
            assert 'data-outcome="unknown"' in self.scan(client, door, text)
        assert database.get(Registration, seat.id).checked_in_at is None


class TestWalkIns:
    def walk_in(self, client, event, **data):
        return client.post(f"/events/{event.id}/door/walk-in", data=data, follow_redirects=True)

    def test_a_member_and_a_newcomer_are_confirmed_and_checked_in(
        self, app, client, auth, make_event, make_user, database, deliver
    ):
        host = make_user(role="host")
        event = make_event(host=host, capacity=5)
        member = make_user("Марта Учасниця", email="marta@example.org")
        auth.login(host)
        page = self.walk_in(client, event, email="MARTA@example.org").text
        assert "Марта Учасниця — підтверджено й відмічено на вході." in page
        page = self.walk_in(client, event, email="new@example.org", name="Нова Людина").text
        assert "Нова Людина — підтверджено й відмічено на вході." in page
        assert "Посилання, щоб вибрати пароль, уже в дорозі." in page
        seats = database.all(Registration)
        assert {(s.user_id == member.id, s.status) for s in seats} == {
            (True, "confirmed"),
            (False, "confirmed"),
        }
        assert all(s.checked_in_at is not None for s in seats)
        [welcome] = [m for m in deliver() if m["To"] == "new@example.org"]
        assert "http://spilno.test/auth/reset/" in welcome.get_body(("plain",)).get_content()

    def test_a_full_event_and_a_missing_name_are_explained_and_nothing_is_made(
        self, app, client, auth, make_event, make_user, database
    ):
        host = make_user(role="host")
        event = make_event(host=host, capacity=1)
        with app.app_context():
            db.session.add(
                Registration(event_id=event.id, user_id=make_user().id, status="confirmed")
            )
            db.session.commit()
        auth.login(host)
        people = database.count(User)
        full = self.walk_in(client, event, email="late@example.org", name="Пізня Людина").text
        assert "Усі місця зайняті: спершу збільште кількість місць" in full
        assert 'value="Пізня Людина"' in full  # what was typed stays
        assert database.count(User) == people and database.count(Registration) == 1
        nameless = self.walk_in(client, event, email="who@example.org").text
        assert "Облікового запису з цією поштою немає: вкажіть також ім'я людини." in nameless
        assert database.count(User) == people

    def test_a_member_is_found_by_name_and_let_in(
        self, client, auth, make_event, make_user, database
    ):
        host = make_user(role="host")
        event = make_event(host=host, capacity=5)
        marta = make_user("Марта Коваль", email="marta@example.org", organisation="Освіторія")
        make_user("Марко Іваненко", email="marko@example.org")
        auth.login(host)
        found = client.get(f"/events/{event.id}/door?find=коваль").text
        assert "Марта Коваль" in found and "Освіторія" in found and "Марко" not in found
        assert "марко" not in client.get(f"/events/{event.id}/door?find=zzz").text.lower()
        page = client.post(
            f"/events/{event.id}/door/walk-in",
            data={"member_id": str(marta.id)},
            follow_redirects=True,
        ).text
        assert "Марта Коваль — підтверджено й відмічено на вході." in page
        [seat] = database.all(Registration)
        assert seat.user_id == marta.id and seat.checked_in_at is not None
        again = client.get(f"/events/{event.id}/door?find=marta@").text
        assert "відмічено" in again or "✓" in again


def test_a_long_list_comes_a_page_at_a_time_and_search_finds_anyone(
    app, client, make_user, make_event, auth, password_hash
):
    """120 people: fifty rows a page, "Show more" for the next (as htmx or as a link), and a
    search reaches past the first page."""
    from app.services.attendees import PAGE_SIZE
    from tests.web.test_query_counts import add_registrations

    assert PAGE_SIZE == 50
    host = make_user("Ведуча Ірина", role="host")
    event = make_event(host=host, capacity=None)
    add_registrations(app, event.id, password_hash, 120)
    auth.login(host)

    def names(page):
        return re.findall(r"Гість \d+", page)

    first = client.get(f"/events/{event.id}/attendees").text
    assert len(set(names(first))) == 50 and "Показати ще" in first
    more = {"HX-Request": "true", "HX-Target": "more-attendees"}
    second = client.get(f"/events/{event.id}/attendees?page=2", headers=more).text
    assert not second.lstrip().startswith("<!doctype") and len(set(names(second))) == 50
    third = client.get(f"/events/{event.id}/attendees?page=3").text  # without JavaScript
    assert len(set(names(third))) == 20 and "Показати ще" not in third
    assert set(names(first)) | set(names(second)) | set(names(third)) == {
        f"Гість {n}" for n in range(120)
    }
    rows_only = HTMX | {"HX-Target": "attendee-rows"}
    found = client.get(f"/events/{event.id}/attendees?q=guest119@", headers=rows_only).text
    assert names(found) == ["Гість 119"]
    assert "Нікого немає" in client.get(f"/events/{event.id}/attendees?q=Нема такої").text
