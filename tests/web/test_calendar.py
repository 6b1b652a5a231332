"""Calendar files, read back by icalendar and by the strict `ical` parser."""

from datetime import timedelta

import icalendar
import pytest
import sqlalchemy as sa
from ical.calendar_stream import IcsCalendarStream

from app.extensions import db
from app.models import OutboxMessage, User
from app.models.types import utcnow
from app.services.mail import build_email
from tests.conftest import PASSWORD


def parse_both(text: str):
    """Both parsers must accept the file; return icalendar's reading of it."""
    strict = IcsCalendarStream.calendar_from_ics(text)
    return icalendar.Calendar.from_ical(text), strict


def test_the_event_file(client, make_event):
    event = make_event(title="Освіта × IT", capacity=None)
    response = client.get(f"/events/{event.id}.ics")
    assert response.mimetype == "text/calendar"
    calendar, strict = parse_both(response.get_data(as_text=True))
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["UID"]) == event.uid
    assert vevent["SEQUENCE"] == 0
    assert vevent.decoded("DTSTART") == event.starts_at
    assert str(vevent["DTSTART"].params["TZID"]) == "Europe/Kyiv"
    assert str(vevent["URL"]) == f"http://spilno.test/events/{event.id}"
    assert "Мистецький арсенал" in str(vevent["LOCATION"])
    [alarm] = vevent.walk("VALARM")
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Kyiv"]
    assert strict.events[0].summary == "Освіта × IT"
    assert strict.events[0].dtstart == event.starts_at


def test_the_emailed_invitation_and_its_cancellation_share_the_uid(
    app, client, auth, make_event, make_user, database
):
    event = make_event(format="hybrid", online_url="https://meet.jit.si/room-42")
    member = make_user()
    auth.login(member)
    client.post(f"/events/{event.id}/register")
    client.post(f"/events/{event.id}/unregister")
    invitation, cancellation = database.all(OutboxMessage)
    invite_cal, _ = parse_both(invitation.ics)
    cancel_cal, _ = parse_both(cancellation.ics)
    assert str(invite_cal["METHOD"]) == "REQUEST" and str(cancel_cal["METHOD"]) == "CANCEL"
    [invite], [cancel] = invite_cal.walk("VEVENT"), cancel_cal.walk("VEVENT")
    assert str(invite["UID"]) == str(cancel["UID"]) == event.uid
    assert "room-42" in str(invite["LOCATION"])  # a confirmed attendee's copy
    assert str(invite["ATTENDEE"]) == f"mailto:{member.email}"
    assert str(invite["ORGANIZER"]).startswith("mailto:")
    # RFC 5546 §3.2.5: the member's own cancellation takes the entry away.
    assert str(cancel["STATUS"]) == "CANCELLED" and str(invite["STATUS"]) == "CONFIRMED"
    assert int(cancel["SEQUENCE"]) > int(invite["SEQUENCE"])
    assert cancel.walk("VALARM") == [] and invite.walk("VALARM") != []


def test_the_organizer_is_an_address_that_reads_replies(app, client, auth, make_event, make_user):
    app.config["CALENDAR_ORGANIZER"] = "Команда Спільно <team@spilno.example>"
    event = make_event()
    auth.login(make_user())
    client.post(f"/events/{event.id}/register")
    with app.app_context():
        [message] = db.session.scalars(sa.select(OutboxMessage)).all()
        [vevent] = parse_both(message.ics)[0].walk("VEVENT")
        assert str(vevent["ORGANIZER"]) == "mailto:team@spilno.example"
        email = build_email(message, "x@y.z")
        part = next(p for p in email.walk() if p.get_content_type() == "text/calendar")
        assert part.get_param("charset") == "UTF-8" and part.get_param("method") == "REQUEST"


def test_the_private_feed_lists_confirmed_events_from_30_days_back(
    app, client, auth, make_event, make_user
):
    member = make_user()
    going = make_event(title="Іду")
    waiting_for = make_event(title="Чекаю", capacity=1)
    recent_start = utcnow() - timedelta(days=10)
    recent = make_event(
        title="Нещодавно", starts_at=recent_start, ends_at=recent_start + timedelta(hours=2)
    )
    old_start = utcnow() - timedelta(days=40)
    old = make_event(title="Давно", starts_at=old_start, ends_at=old_start + timedelta(hours=2))
    other = app.test_client()
    other.post("/auth/login", data={"email": make_user().email, "password": PASSWORD})
    other.post(f"/events/{waiting_for.id}/register")

    auth.login(member)
    for event in (going, waiting_for):
        client.post(f"/events/{event.id}/register")
    with app.app_context():
        from app.extensions import db
        from app.models import Registration

        for event in (recent, old):
            db.session.add(Registration(event_id=event.id, user_id=member.id, status="confirmed"))
        db.session.commit()

    feed = client.get(f"/calendar/{member.calendar_token}.ics")
    calendar, strict = parse_both(feed.get_data(as_text=True))
    titles = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert titles == ["Іду", "Нещодавно"]
    assert len(strict.events) == 2


def test_resetting_the_link_retires_the_old_one(client, auth, make_user, database):
    member = make_user()
    auth.login(member)
    old = member.calendar_token
    assert client.get(f"/calendar/{old}.ics").status_code == 200
    client.post("/calendar/reset")
    new = database.get(User, member.id).calendar_token
    assert new != old
    assert client.get(f"/calendar/{old}.ics").status_code == 404
    assert client.get(f"/calendar/{new}.ics").status_code == 200
    assert new in client.get("/me").get_data(as_text=True)


def test_the_event_page_offers_google_and_webcal(client, make_event):
    event = make_event()
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "https://calendar.google.com/calendar/render?action=TEMPLATE" in page
    assert f"webcal://spilno.test/events/{event.id}.ics" in page


@pytest.mark.parametrize("zone", ["Europe/Kyiv", "America/New_York", "Asia/Tokyo"])
def test_any_zone_makes_a_valid_file(client, make_event, zone):
    event = make_event(timezone=zone)
    calendar, strict = parse_both(client.get(f"/events/{event.id}.ics").get_data(as_text=True))
    [vevent] = calendar.walk("VEVENT")
    assert vevent.decoded("DTSTART") == event.starts_at
    assert strict.events[0].dtstart == event.starts_at
