"""The dashboard's blocks as CSV: the numbers behind each chart, for a spreadsheet."""

from datetime import datetime

from flask_babel import gettext as _

from app.services import analytics
from app.services.analytics.period import Period
from app.services.spreadsheets import csv_text


def _percent(share: float | None) -> str:
    return "" if share is None else f"{100 * share:.1f}"


def _rating(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _members(period: Period, now: datetime) -> list[list]:
    figures = analytics.member_figures(period)
    rows = [[_("Week or month from"), _("Joined"), _("Active"), _("Members"), _("Active, %")]]
    for b in figures.buckets:
        rows.append([b.start, b.joined, b.active, b.members, _percent(b.active_share)])
    return rows


def _events(period: Period, now: datetime) -> list[list]:
    figures = analytics.event_figures(period, now)
    rows = [[_("Date"), _("Event"), _("Seats"), _("Registrations"), _("Confirmed"),
             _("Checked in"), _("Waitlisted"), _("Attendance, %")]]  # fmt: skip
    for e in figures.rows:
        rows.append([e.starts_at.date().isoformat(), e.title, e.capacity or "", e.registrations,
                     e.confirmed, e.checked_in, e.waitlisted,
                     _percent(e.attendance_rate)])  # fmt: skip
    return rows


def _meetings(period: Period, now: datetime) -> list[list]:
    figures = analytics.meeting_figures(period)
    rows = [[_("Week or month from"), _("Live meetings"), _("Coffee meetings")]]
    rows += [[b.start, b.live, b.coffee] for b in figures.buckets]
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
    figures = analytics.feedback_figures(period)
    rows = [[_("Date"), _("Event"), _("NPS answers"), "NPS", _("Ratings"), _("Average rating")]]
    for f in figures.rows:
        nps = "" if f.nps is None else f.nps
        rows.append([f.starts_at.date().isoformat(), f.title, f.nps_answers, nps, f.ratings,
                     _rating(f.average_rating)])  # fmt: skip
    return rows


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
