"""A series: one rule makes linked events, each with its own seats and calendar entry."""

from datetime import date, timedelta
from itertools import pairwise

import pytest
from ical.calendar_stream import IcsCalendarStream

from app.models import Event, Registration
from tests.web.test_events import form_data, local


@pytest.fixture
def host(make_user, auth):
    person = make_user("Тарас Мельник", role="host")
    auth.login(person)
    return person


def series_of(database):
    return sorted(database.all(Event), key=lambda e: e.starts_at)


def test_every_second_thursday_at_19_until_june_across_the_clock_change(client, host, database):
    thursday = local(days=7, hour=19, minute=0)
    thursday += timedelta(days=(3 - thursday.weekday()) % 7)
    until = date(thursday.year + (1 if thursday.month >= 6 else 0), 6, 30)
    data = form_data(
        starts_at=thursday.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(thursday + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        repeat="weekly",
        repeat_every="2",
        repeat_until=until.isoformat(),
        registration_closes_at=(thursday - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post("/events/new", data=data)
    made = series_of(database)
    assert response.location == f"/events/{made[0].id}"
    assert 2 <= len(made) <= 52 and len({e.series_key for e in made}) == 1
    for event in made:
        start = event.local_starts_at
        assert (start.weekday(), start.hour, start.minute) == (3, 19, 0)  # Kyiv wall clock
        assert event.local_ends_at.hour == 21 and event.status == "draft"
        assert event.starts_at - event.registration_closes_at == timedelta(hours=3)
    gaps = {(b.local_starts_at.date() - a.local_starts_at.date()).days for a, b in pairwise(made)}
    assert gaps == {14}
    assert made[-1].local_starts_at.date() <= until
    # Published together, each event has its own calendar file a strict parser reads.
    client.post(f"/events/{made[0].id}/publish", data={"scope": "following"})
    assert {e.status for e in series_of(database)} == {"published"}
    uids = set()
    for event in made[:3]:
        text = client.get(f"/events/{event.id}.ics").get_data(as_text=True)
        [parsed] = IcsCalendarStream.calendar_from_ics(text).events
        uids.add(parsed.uid)
        assert parsed.dtstart.astimezone(event.zone).hour == 19
    assert len(uids) == 3
    page = client.get(f"/events/{made[1].id}").get_data(as_text=True)
    assert "Інші дати цієї серії" in page


def test_the_second_thursday_of_each_month(client, host, database):
    start = local(days=40, hour=19, minute=0).replace(day=1)
    while start.weekday() != 3:
        start += timedelta(days=1)
    start += timedelta(days=7)  # the second Thursday of its month
    data = form_data(
        starts_at=start.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        repeat="monthly",
        repeat_every="1",
        repeat_until=(start + timedelta(days=120)).date().isoformat(),
    )
    client.post("/events/new", data=data)
    made = series_of(database)
    assert len(made) >= 4
    for event in made:
        day = event.local_starts_at
        assert day.weekday() == 3 and 8 <= day.day <= 14 and day.hour == 19


@pytest.mark.parametrize(
    ("until_days", "message"),
    [(3, "менше ніж дві дати"), (400, "більше ніж 52 події"), (None, "до коли")],
    ids=["no-dates", "too-many", "no-last-day"],
)
def test_a_rule_of_too_few_or_too_many_dates_is_refused_and_nothing_is_made(
    client, host, database, until_days, message
):
    start = local(days=7)
    until = (start + timedelta(days=until_days)).date().isoformat() if until_days else ""
    data = form_data(repeat="weekly", repeat_every="1", repeat_until=until)
    page = client.post("/events/new", data=data).get_data(as_text=True)
    assert message in page and 'value="Освіта × IT: вечір знайомств"' in page
    assert database.count(Event) == 0


def test_this_one_or_this_and_the_following(client, host, database, auth, make_user):
    start = local(days=7, hour=18, minute=30)
    data = form_data(
        repeat="weekly",
        repeat_every="1",
        repeat_until=(start + timedelta(days=21)).date().isoformat(),
    )
    client.post("/events/new", data=data)
    first, second, third, fourth = series_of(database)
    client.post(f"/events/{first.id}/publish", data={"scope": "following"})
    # A seat on the third stays the third's.
    member = make_user("Ірина Коваль")
    auth.logout()
    auth.login(member)
    client.post(f"/events/{third.id}/register")
    auth.logout()
    auth.login(host)

    moved = second.local_starts_at.replace(hour=19, minute=0)
    edit = form_data(
        title="Нова назва",
        starts_at=moved.strftime("%Y-%m-%dT%H:%M"),
        ends_at=(moved + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        scope="following",
    )
    client.post(f"/events/{second.id}/edit", data=edit)
    after = series_of(database)
    assert after[0].title == "Освіта × IT: вечір знайомств" and after[0].local_starts_at.hour == 18
    for event, before in zip(after[1:], (second, third, fourth), strict=True):
        assert event.title == "Нова назва"
        assert event.local_starts_at.date() == before.local_starts_at.date()
        assert (event.local_starts_at.hour, event.local_starts_at.minute) == (19, 0)
    [seat] = database.all(Registration)
    assert seat.event_id == third.id and seat.status == "confirmed"

    client.post(f"/events/{fourth.id}/edit", data={**form_data(title="Лише ця"), "scope": "this"})
    titles = {e.id: e.title for e in series_of(database)}
    assert (titles[third.id], titles[fourth.id]) == ("Нова назва", "Лише ця")
