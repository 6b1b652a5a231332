"""The dashboard's blocks as CSV: the numbers behind each chart, for a spreadsheet."""

from collections.abc import Callable
from datetime import datetime
from operator import attrgetter

from flask_babel import gettext as _

from app.services import analytics
from app.services.analytics.period import Period
from app.services.spreadsheets import csv_text


def _percent(share: float | None) -> str:
    return "" if share is None else f"{100 * share:.1f}"


def _rating(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _table(columns: list[tuple[str, Callable]], items) -> list[list]:
    """A header of the columns' names, then a row per item: what each column reads from it."""
    return [[name for name, _read in columns]] + [
        [read(i) for _name, read in columns] for i in items
    ]


def _day(row) -> str:
    return row.starts_at.date().isoformat()


def _members(period: Period, now: datetime) -> list[list]:
    columns = [
        (_("Week or month from"), attrgetter("start")),
        (_("Joined"), attrgetter("joined")),
        (_("Active"), attrgetter("active")),
        (_("Members"), attrgetter("members")),
        (_("Active, %"), lambda b: _percent(b.active_share)),
    ]
    return _table(columns, analytics.member_figures(period).buckets)


def _events(period: Period, now: datetime) -> list[list]:
    columns = [
        (_("Date"), _day),
        (_("Event"), attrgetter("title")),
        (_("Seats"), lambda e: e.capacity or ""),
        (_("Registrations"), attrgetter("registrations")),
        (_("Confirmed"), attrgetter("confirmed")),
        (_("Checked in"), attrgetter("checked_in")),
        (_("Waitlisted"), attrgetter("waitlisted")),
        (_("Attendance, %"), lambda e: _percent(e.attendance_rate)),
    ]
    return _table(columns, analytics.event_figures(period, now).rows)


def _meetings(period: Period, now: datetime) -> list[list]:
    figures = analytics.meeting_figures(period)
    rows = [[_("Week or month from"), _("Live meetings"), _("Coffee meetings"), _("Introductions")]]
    rows += [[b.start, b.live, b.coffee, b.introduction] for b in figures.buckets]
    return rows


def _sectors(period: Period, now: datetime) -> list[list]:
    heatmap, _contacts = analytics.sector_pairs(period)
    sectors = [
        (sector_id, sector.name if sector else _("No sector")) for sector_id, sector in heatmap.rows
    ]
    rows = [[""] + [name for _id, name in sectors]]
    for a, name in sectors:
        rows.append([name] + [heatmap.count(a, b) for b, _name in sectors])
    return rows


def _newcomers(period: Period, now: datetime) -> list[list]:
    figures = analytics.newcomer_figures(period)
    rows = [[_("Week or month from"), _("Joined"), _("Came or met within 30 days")]]
    rows += [list(bucket) for bucket in figures.buckets]
    return rows


def _feedback(period: Period, now: datetime) -> list[list]:
    columns = [
        (_("Date"), _day),
        (_("Event"), attrgetter("title")),
        (_("NPS answers"), attrgetter("nps_answers")),
        ("NPS", lambda f: "" if f.nps is None else f.nps),
        (_("Ratings"), attrgetter("ratings")),
        (_("Average rating"), lambda f: _rating(f.average_rating)),
    ]
    return _table(columns, analytics.feedback_figures(period).rows)


BLOCKS = {
    "members": _members,
    "events": _events,
    "meetings": _meetings,
    "sectors": _sectors,
    "newcomers": _newcomers,
    "feedback": _feedback,
}


def block_csv(block: str, period: Period, now: datetime) -> str:
    return csv_text(BLOCKS[block](period, now))
