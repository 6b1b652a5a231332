"""A series: "every second Thursday at 19:00 until June" made into linked events.

Each event of a series is an event like any other, with its own registrations, calendar
entry and page; they share a `series_key`, so a host can edit "this and the following"
together. The dates come from an RFC 5545 rule (dateutil's rrule) read on the event's own
wall clock: 19:00 in Kyiv stays 19:00 when the clocks change.
"""

import dataclasses
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

from app.extensions import db
from app.models import Event, EventStatus, User
from app.services import errors, events
from app.services.events import EventDetails

MOST_EVENTS = 52


@dataclass(frozen=True)
class Repeat:
    """`weekly`: every `interval` weeks on the start's weekday; `monthly`: on the same
    weekday of the month as the start (the second Thursday), every `interval` months."""

    frequency: str
    interval: int
    until: date


def _rule(start: datetime, repeat: Repeat) -> rrule:
    last = datetime.combine(repeat.until, time.max)
    if repeat.frequency == "monthly":
        nth = (start.day - 1) // 7 + 1  # the 1st…5th of its weekday in the month
        on = weekday(start.weekday())(nth if nth < 5 else -1)
        return rrule(MONTHLY, interval=repeat.interval, dtstart=start, until=last, byweekday=on)
    return rrule(WEEKLY, interval=repeat.interval, dtstart=start, until=last)


def occurrences(details: EventDetails, repeat: Repeat) -> list[datetime]:
    """The local start of each event; refused when the rule makes fewer than two or more
    than 52, so a typo never makes a thousand events."""
    zone = details.starts_at.tzinfo
    local_start = details.starts_at.replace(tzinfo=None)
    starts = list(_rule(local_start, repeat).xafter(local_start, count=MOST_EVENTS + 1, inc=True))
    if len(starts) < 2:
        raise errors.SeriesTooShort()
    if len(starts) > MOST_EVENTS:
        raise errors.SeriesTooLong()
    return [start.replace(tzinfo=zone) for start in starts]


def _moved(details: EventDetails, start: datetime) -> EventDetails:
    """The same details on another day: the same wall-clock hours, and registration closing
    as long before the start."""
    shift = start - details.starts_at
    closes = details.registration_closes_at
    return dataclasses.replace(
        details,
        starts_at=start,
        ends_at=datetime.combine(start.date(), details.ends_at.timetz())
        + (details.ends_at.date() - details.starts_at.date()),
        registration_closes_at=closes + shift if closes else None,
    )


def create_series(creator: User, details: EventDetails, repeat: Repeat) -> list[Event]:
    """Drafts, one per date, sharing one key. A cover uploaded is stored once for them all."""
    starts = occurrences(details, repeat)
    key = secrets.token_urlsafe(12)
    first = events.create_event(creator, details)
    first.series_key = key
    made = [first]
    rest = dataclasses.replace(details, cover=None)
    for start in starts[1:]:
        event = events.create_event(creator, _moved(rest, start))
        event.series_key, event.cover = key, first.cover
        made.append(event)
    return made


def following(event: Event) -> list[Event]:
    """The event and the later ones of its series still running, in order."""
    if not event.series_key:
        return [event]
    query = (
        sa.select(Event)
        .where(
            Event.series_key == event.series_key,
            Event.starts_at >= event.starts_at,
            Event.status.in_([EventStatus.DRAFT, EventStatus.PUBLISHED]),
        )
        .order_by(Event.starts_at)
    )
    return list(db.session.scalars(query))


def other_dates(event: Event, *, with_drafts: bool) -> list[Event]:
    """The series' other events a reader may open, in order (none for a lone event)."""
    if not event.series_key:
        return []
    shown = [EventStatus.PUBLISHED, *([EventStatus.DRAFT] if with_drafts else [])]
    query = (
        sa.select(Event)
        .where(Event.series_key == event.series_key, Event.id != event.id, Event.status.in_(shown))
        .order_by(Event.starts_at)
    )
    return list(db.session.scalars(query))


def update_following(
    event_id: int, editor: User, details: EventDetails, *, seen_version: int | None = None
) -> int:
    """Save the edit on this event and every later one of the series, each on its own day;
    the number of events changed."""
    event = db.session.get(Event, event_id)
    later = [e for e in following(event) if e.id != event.id]
    events.update_event(event.id, editor, details, seen_version=seen_version)
    rest = dataclasses.replace(details, cover=None, remove_cover=False)
    for other in later:
        day_shift = other.local_starts_at.date() - event.local_starts_at.date()
        start = details.starts_at + timedelta(days=day_shift.days)
        events.update_event(other.id, editor, _moved(rest, start))
        other.cover = event.cover
    return 1 + len(later)


def publish_following(event_id: int) -> int:
    """Publish this draft and the later drafts of its series."""
    event = db.session.get(Event, event_id)
    drafts = [e for e in following(event) if e.status == EventStatus.DRAFT]
    for draft in drafts:
        events.publish_event(draft.id)
    return len(drafts)
