"""The dashboard on a small hand-made community: every figure worked out by hand, then
compared with what the service computes and what the page shows."""

import csv
import io
import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import (
    Event,
    Meeting,
    MeetingMember,
    Registration,
    Round,
    User,
)
from app.services import analytics

DAY = timedelta(days=1)


def test_every_figure_of_the_last_90_days(app, community):
    now, p = community["now"], community["people"]
    period = analytics.Period.last(90, now)
    with app.app_context():
        figures = analytics.dashboard(period, now)

    members = figures.members
    assert (members.total, members.joined, members.active) == (13, 3, 10)
    assert members.active_share == pytest.approx(10 / 13)
    assert (members.previous_active, members.previous_total) == (2, 10)
    assert members.trend == pytest.approx(100 * (10 / 13 - 2 / 10))
    assert members.buckets[-1].members == 13
    # Week by week: the SQL buckets match the same activity bucketed here in Python.
    expected = {}
    for who, moment in community["activity"]:
        if period.start <= moment < period.end and who != p["X"]:
            expected.setdefault(period.bucket_of(moment), set()).add(who)
    assert {b.start: b.active for b in members.buckets if b.active} == {
        key: len(who) for key, who in expected.items()
    }
    assert sum(b.joined for b in members.buckets) == 3

    events = figures.events
    # E4 is still to come: not an event of the last 90 days (its sign-ups still make people
    # active, since they registered in the period).
    assert [row.title for row in events.rows] == ["E1", "E2", "E3"]
    assert events.registrations == 6 + 2 + 2
    assert events.attendance_rate == pytest.approx(4 / 6)  # E1 3 of 4, E2 1 of 2; not E3
    assert events.no_show_rate == pytest.approx(2 / 6)
    assert (events.waitlisted, events.seats) == (1, 4)
    assert events.waitlist_per_seat == pytest.approx(0.25)
    assert (events.attendees, events.repeat_attendees) == (3, 1)
    assert sum(count for _, count in events.buckets) == 3

    meetings = figures.meetings
    assert (meetings.live, meetings.coffee, meetings.held) == (2, 1, 3)
    assert (meetings.answered, meetings.met) == (3, 2)
    assert meetings.average_rating == pytest.approx(4.0)
    assert meetings.contacts == 2
    assert (meetings.with_sectors, meetings.cross_sector) == (3, 2)
    it, culture = community["sectors"]
    heatmap = meetings.heatmap
    assert heatmap.count(it, culture) == heatmap.count(culture, it) == 2
    assert heatmap.count(it, it) == 1
    assert heatmap.count(it, None) == heatmap.count(culture, None) == 1
    assert heatmap.count(culture, culture) == 0
    assert [sector for _, sector in heatmap.rows][-1] is None  # "no sector" gets a row

    newcomers = figures.newcomers
    assert (newcomers.joined, newcomers.engaged) == (3, 1)

    feedback = figures.feedback
    assert [(row.title, row.nps, row.average_rating) for row in feedback.rows] == [
        ("E1", 33, 4.5),
        ("E2", -100, 2.0),
    ]
    assert feedback.nps == 0  # 2 promoters, 2 detractors of 4
    assert feedback.average_rating == pytest.approx(11 / 3)


def test_a_longer_period_takes_in_the_older_event(app, community):
    now = community["now"]
    with app.app_context():
        figures = analytics.dashboard(analytics.Period.last(365, now), now)
    assert [row.title for row in figures.events.rows] == ["E0", "E1", "E2", "E3"]
    assert (figures.meetings.live, figures.meetings.coffee) == (3, 1)
    assert figures.members.joined == 13  # everyone joined within the year
    assert figures.members.previous_active_share is None  # nobody was there the year before
    assert not figures.members.buckets[0].start.endswith(("-08", "-15"))  # months, not weeks
    assert all(b.start.endswith("-01") for b in figures.members.buckets)


def stat(html: str, block_id: str) -> str:
    match = re.search(rf'id="{block_id}"><span class="stat-box-number">([^<]*)<', html)
    assert match, f"no figure {block_id}"
    return match.group(1)


def test_the_page_shows_the_figures(client, auth, community):
    auth.login("host@example.org")
    html = client.get("/dashboard?days=90").text
    assert stat(html, "members-total") == "13"
    assert stat(html, "members-joined") == "3"
    assert stat(html, "members-active-share") == "76.9%"
    assert stat(html, "members-trend") == "▲ 56.9"
    assert stat(html, "events-count") == "3"
    assert stat(html, "events-registrations") == "10"
    assert stat(html, "events-attendance") == "66.7%"
    assert stat(html, "events-no-shows") == "33.3%"
    assert stat(html, "events-waitlist") == "0.25"
    assert stat(html, "events-repeat") == "33.3%"
    assert stat(html, "meetings-held") == "3"
    assert stat(html, "meetings-met") == "66.7%"
    assert stat(html, "meetings-rating") == "4.0 / 5"
    assert stat(html, "meetings-contacts") == "2"
    assert stat(html, "meetings-cross-sector") == "66.7%"
    assert stat(html, "newcomers-share") == "33.3%"
    assert stat(html, "feedback-nps") == "0"
    assert stat(html, "feedback-rating") == "3.7 / 5"
    assert "2 live, 1 coffee" in html
    assert html.count('class="chart-dot"') == 4  # two events, NPS and rating each
    assert "IT × Culture: 2" in html  # the heatmap cell's tooltip


def test_the_page_speaks_ukrainian(client, auth, community, app):
    with app.app_context():
        db.session.execute(db.update(User).values(locale="uk"))
        db.session.commit()
    auth.login("host@example.org")
    html = client.get("/dashboard?days=90").text
    assert stat(html, "members-active-share") == "76,9%"
    assert stat(html, "events-waitlist") == "0,25"
    assert "Учасники" in html
    # Numbers agree with their nouns: 13 учасників, 3 події, 10 реєстрацій, 3 зустрічі.
    labels = {
        "members-total": "учасників",
        "members-joined": "нові учасники за період",
        "events-count": "події",
        "events-registrations": "реєстрацій",
        "meetings-held": "зустрічі відбулися",
        "meetings-contacts": "обміни контактами",
    }
    for block, label in labels.items():
        assert f'id="{block}"><span class="stat-box-number">' in html
        assert html.split(f'id="{block}">', 1)[1].split("</span>", 2)[1] == f"<span>{label}"


def test_dates_choose_the_period(client, auth, community):
    now = community["now"]
    auth.login("host@example.org")
    first, last = (now - 160 * DAY).date(), (now - 140 * DAY).date()
    html = client.get(f"/dashboard?start={first}&end={last}").text
    assert stat(html, "events-count") == "1"  # E0 only
    assert stat(html, "meetings-held") == "1"
    assert f'value="{first}"' in html and f'value="{last}"' in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=2026-03-01&end=2026-01-01", "The end date comes before the start date."),
        ("start=2026-03-01", "Choose both dates, or neither."),
        ("start=2001-01-01&end=2026-01-01", "Choose a period of five years at most."),
        ("start=2099-01-01&end=2099-02-01", "The period starts in the future."),
        ("start=yesterday&end=2026-01-01", "Not a valid date value."),
    ],
)
def test_a_wrong_period_is_explained_and_kept(client, auth, community, query, message):
    auth.login("host@example.org")
    response = client.get(f"/dashboard?{query}")
    assert response.status_code == 200
    assert message in response.text
    assert "Last 90 days ·" in response.text  # the default period is shown meanwhile
    typed = dict(part.split("=") for part in query.split("&"))
    assert f'value="{typed["start"]}"' in response.text


def test_an_unknown_number_of_days_shows_the_default(client, auth, community):
    auth.login("host@example.org")
    for days in ("7", "abc"):
        assert "Last 90 days ·" in client.get(f"/dashboard?days={days}").text


def csv_rows(response) -> list[list[str]]:
    assert response.mimetype == "text/csv"
    assert response.text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(response.text.removeprefix("\ufeff"))))


def test_each_block_downloads_as_csv(client, auth, community):
    auth.login("host@example.org")
    events = csv_rows(client.get("/dashboard/events.csv?days=90"))
    assert events[0][:3] == ["Date", "Event", "Seats"]
    assert [(row[1], row[3], row[5], row[7]) for row in events[1:]] == [
        ("E1", "6", "3", "75.0"),
        ("E2", "2", "1", "50.0"),
        ("E3", "2", "0", ""),
    ]
    sectors = csv_rows(client.get("/dashboard/sectors.csv?days=90"))
    assert sectors[0] == ["", "IT", "Culture", "No sector"]
    assert sectors[1] == ["IT", "1", "2", "1"]
    feedback = csv_rows(client.get("/dashboard/feedback.csv?days=90"))
    assert [row[1:] for row in feedback[1:]] == [
        ["E1", "3", "33", "2", "4.50"],
        ["E2", "1", "-100", "1", "2.00"],
    ]
    members = csv_rows(client.get("/dashboard/members.csv?days=90"))
    assert sum(int(row[1]) for row in members[1:]) == 3 and members[-1][3] == "13"
    newcomers = csv_rows(client.get("/dashboard/newcomers.csv?days=90"))
    assert sum(int(row[2]) for row in newcomers[1:]) == 1
    meetings = csv_rows(client.get("/dashboard/meetings.csv?days=90"))
    assert sum(int(row[1]) for row in meetings[1:]) == 2
    assert client.get("/dashboard/everything.csv").status_code == 404


def test_query_count_does_not_grow_with_the_community(client, auth, community, count_queries, app):
    auth.login("host@example.org")
    before = count_queries(client, "/dashboard?days=365")
    now, p = community["now"], community["people"]
    with app.app_context():
        for n in range(30):
            start = now - (n + 2) * DAY
            event = Event(title=f"More {n}", format="offline", starts_at=start, venue="Хаб",
                          ends_at=start + timedelta(hours=2), status="published")  # fmt: skip
            db.session.add(event)
            db.session.flush()
            db.session.add(
                Registration(
                    event_id=event.id, user_id=p["I"], status="confirmed", checked_in_at=start
                )
            )
            round_ = Round(kind="live", event_id=event.id, number=1, status="closed",
                           starts_at=start)  # fmt: skip
            made = Meeting(round=round_)
            made.members = [MeetingMember(user_id=p["I"], round=round_, met="yes", rating=4),
                            MeetingMember(user_id=p["N3"], round=round_)]  # fmt: skip
            db.session.add(made)
        db.session.commit()
    assert count_queries(client, "/dashboard?days=365") == before
    assert before <= 16


def test_a_members_history_marks_the_same_no_shows_it_counts(client, auth, community):
    auth.login("host@example.org")
    html = client.get(f"/members/{community['people']['C']}").text
    assert stat(html, "history-no-shows") == "1"
    rows = re.findall(r"<li class=\"d-flex[^\"]*\">(.*?)</li>", html, re.S)
    marked = [row for row in rows if "not checked in" in row]
    assert len(marked) == 1 and ">E1<" in marked[0]  # not E3: online, nobody checked in
    assert any(">E3<" in row and ">confirmed<" in row for row in rows)


def test_hosts_see_a_members_history_and_members_do_not(client, auth, community):
    p = community["people"]
    auth.login("host@example.org")
    html = client.get(f"/members/{p['A']}").text
    assert 'id="history"' in html
    assert stat(html, "history-attended") == "3"  # E0, E1, E2
    assert stat(html, "history-no-shows") == "0"  # E3 had no check-in, but A was confirmed
    assert stat(html, "history-meetings") == "2"  # the draft round does not count
    assert stat(html, "history-rating") == "5.0"
    assert "Person B" in html and "Person D" not in html  # met B twice; D only in a draft
    assert html.count("E1") >= 2  # in the events and as the meeting's event
    auth.logout()
    auth.login("b@example.org")
    assert 'id="history"' not in client.get(f"/members/{p['A']}").text
