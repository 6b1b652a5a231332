"""Events: create, edit, publish, cancel; and the lists people browse."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload, lazyload, load_only, selectinload

from app.extensions import db
from app.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Role,
    User,
)
from app.models.types import utcnow
from app.services import errors, notifications, pictures, registration, versions
from app.services.text import markdown_to_html

# A change to any of these moves the entry in people's calendars.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "timezone", "venue", "address", "city", "online_url")


@dataclass
class EventDetails:
    """What a host fills in; times are aware datetimes (UTC or the event's zone)."""

    title: str
    description: str
    format: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    venue: str
    address: str
    city: str
    online_url: str
    capacity: int | None
    requires_approval: bool
    registration_closes_at: datetime | None
    cohost_ids: list[int]
    title_en: str = ""
    description_en: str = ""
    cover: tuple[bytes, str] | None = None  # a picture uploaded: (content, file name)
    remove_cover: bool = False


def host_choices(event: Event | None = None) -> list[User]:
    """Who may be made a host: the staff, and whoever hosts the event already (a member
    whose proposal was approved stays a host when someone else saves the event)."""
    staff = User.role.in_([Role.HOST, Role.ADMIN])
    current = [host.id for host in event.hosts] if event is not None else []
    query = (
        sa.select(User)
        .where(sa.or_(staff, User.id.in_(current)), User.deleted_at.is_(None))
        .order_by(User.name_key)
    )
    return list(db.session.scalars(query))


def _hosts(editor: User, host_ids: list[int], keep: list[User] = (), event=None) -> list[User]:
    """The chosen hosts. A host editing stays one (an admin need not); never nobody."""
    chosen = {host.id: host for host in host_choices(event) if host.id in set(host_ids)}
    if not editor.is_admin:
        chosen.setdefault(editor.id, editor)
    return list(chosen.values()) or list(keep) or [editor]


def apply_details(event: Event, details: EventDetails) -> None:
    """Copy the form onto the event. A new cover is checked and stored first of all, so a
    file that is no picture changes nothing."""
    if details.cover is not None:
        event.cover = pictures.save_picture(
            *details.cover, "cover", current_app.config["UPLOADS_DIR"]
        )
    elif details.remove_cover:
        event.cover = ""
    event.title = details.title.strip()
    event.description = details.description.strip()
    event.description_html = markdown_to_html(event.description)
    event.title_en = details.title_en.strip()
    event.description_en = details.description_en.strip()
    event.description_en_html = markdown_to_html(event.description_en)
    event.format = details.format
    event.starts_at = details.starts_at
    event.ends_at = details.ends_at
    event.timezone = details.timezone
    keep_place = event.is_in_person
    event.venue = details.venue.strip() if keep_place else ""
    event.address = details.address.strip() if keep_place else ""
    event.city = " ".join(details.city.split()) if keep_place else ""
    event.online_url = details.online_url.strip() if event.is_online else ""
    event.requires_approval = details.requires_approval
    event.registration_closes_at = details.registration_closes_at


def create_event(creator: User, details: EventDetails) -> Event:
    event = Event(status=EventStatus.DRAFT, created_by_id=creator.id, capacity=details.capacity)
    apply_details(event, details)
    event.hosts = _hosts(creator, details.cohost_ids)
    db.session.add(event)
    db.session.flush()
    return event


# What a copy of an event takes over; its time, registrations and history are its own.
COPIED_FIELDS = (
    "title",
    "description",
    "description_html",
    "title_en",
    "description_en",
    "description_en_html",
    "cover",
    "format",
    "timezone",
    "venue",
    "address",
    "city",
    "online_url",
    "capacity",
    "requires_approval",
)


def duplicate_event(event_id: int, copier: User, *, now: datetime | None = None) -> Event:
    """A new draft like the event, with the same hosts (and the copier), a whole number of
    weeks later: the same weekday and hour, the first such time still ahead."""
    original = db.session.get(Event, event_id)
    if original is None or original.status == EventStatus.CANCELLED:
        raise errors.CancelledNotCopied()
    now = now or utcnow()
    weeks = max(1, math.floor((now - original.starts_at) / timedelta(weeks=1)) + 1)
    shift = timedelta(weeks=weeks)
    copy = Event(status=EventStatus.DRAFT, created_by_id=copier.id)
    for field in COPIED_FIELDS:
        setattr(copy, field, getattr(original, field))
    copy.starts_at, copy.ends_at = original.starts_at + shift, original.ends_at + shift
    copy.hosts = list(dict.fromkeys([*original.hosts, copier]))
    db.session.add(copy)
    db.session.flush()
    return copy


def update_event(
    event_id: int, editor: User, details: EventDetails, *, seen_version: int | None = None
) -> list[str]:
    """Save a host's edits made on the form shown at `seen_version`; returns what changed
    for attendees' calendars."""
    event = registration.lock_event(event_id)
    if event.status == EventStatus.CANCELLED:
        raise errors.EventAlreadyCancelled()
    versions.check_version(event, seen_version)
    before = {field: getattr(event, field) for field in SCHEDULE_FIELDS}
    apply_details(event, details)
    registration.change_capacity(event, details.capacity)
    event.hosts = _hosts(editor, details.cohost_ids, keep=event.hosts, event=event)
    changes = [field for field in SCHEDULE_FIELDS if getattr(event, field) != before[field]]
    versions.saved(event)
    if changes:
        event.sequence += 1
        if event.status == EventStatus.PUBLISHED:
            notifications.event_updated(event, changes)
    return changes


def publish_event(event_id: int) -> Event:
    event = registration.lock_event(event_id)
    if event.status == EventStatus.CANCELLED:
        raise errors.EventAlreadyCancelled()
    event.status = EventStatus.PUBLISHED
    return event


def delete_draft(event_id: int) -> None:
    """A draft nobody else has seen goes for good; a published event is cancelled instead,
    so that the people registered are told."""
    event = registration.lock_event(event_id)
    if event.status != EventStatus.DRAFT:
        raise errors.NotADraft()
    db.session.delete(event)


def cancel_event(event_id: int) -> Event:
    event = registration.lock_event(event_id)
    if event.status == EventStatus.CANCELLED:
        return event
    was_published = event.status == EventStatus.PUBLISHED
    event.status = EventStatus.CANCELLED
    event.sequence += 1
    if was_published:
        notifications.event_cancelled(event)
    return event


# --- what people browse -------------------------------------------------------------------


@dataclass
class EventCard:
    event: Event
    confirmed: int
    came: int = 0  # checked in, for an event that is over
    is_past: bool = False
    mine: Registration | None = None  # the viewer's own seat
    waitlist_position: int | None = None

    @property
    def seats_left(self) -> int | None:
        return registration.seats_left(self.event, self.confirmed)


def list_events(
    *, past: bool, format: str = "", city: str = "", now: datetime | None = None, page: int = 1
):
    """A page of public events: upcoming soonest first, or past latest first."""
    now = now or utcnow()
    query = sa.select(Event).where(Event.status.in_([EventStatus.PUBLISHED, EventStatus.CANCELLED]))
    if past:
        query = query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id)
    else:
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    if format:
        query = query.where(Event.format == format)
    if city:
        query = query.where(Event.city == city)
    return db.paginate(query, page=page, per_page=20, error_out=False)


def cards(
    events: list[Event], viewer_id: int | None = None, *, now: datetime | None = None
) -> list[EventCard]:
    """Events with their confirmed seats and who came, counted in one query for the whole
    list, and the viewer's own seats in another (a third when one of them waits in line)."""
    if not events:
        return []
    now = now or utcnow()
    ids = [event.id for event in events]
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    counts = {
        event_id: (seats, came)
        for event_id, seats, came in db.session.execute(
            sa.select(
                Registration.event_id,
                sa.func.count().filter(confirmed),
                sa.func.count(Registration.checked_in_at).filter(confirmed),
            )
            .where(Registration.event_id.in_(ids))
            .group_by(Registration.event_id)
        )
    }
    mine = {}
    if viewer_id is not None:
        mine = {
            seat.event_id: seat
            for seat in db.session.scalars(
                sa.select(Registration).where(
                    Registration.user_id == viewer_id, Registration.event_id.in_(ids)
                )
            )
        }
    positions = registration.waitlist_positions(list(mine.values()))
    place = {seat.event_id: positions[seat.id] for seat in mine.values() if seat.id in positions}
    return [
        EventCard(
            event,
            *counts.get(event.id, (0, 0)),
            is_past=event.ends_at < now,
            mine=mine.get(event.id),
            waitlist_position=place.get(event.id),
        )
        for event in events
    ]


def upcoming_events(
    limit: int = 6, *, viewer_id: int | None = None, now: datetime | None = None
) -> list[EventCard]:
    now = now or utcnow()
    query = (
        sa.select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.ends_at >= now)
        .order_by(Event.starts_at)
        .limit(limit)
    )
    return cards(list(db.session.scalars(query)), viewer_id, now=now)


def events_hosted_by(user: User, limit: int = 60) -> list[Event]:
    """Published events a person hosts (every one, for an admin), latest first."""
    query = sa.select(Event).where(Event.status == EventStatus.PUBLISHED)
    if not user.is_admin:
        query = query.where(Event.hosts.any(User.id == user.id))
    return list(db.session.scalars(query.order_by(Event.starts_at.desc()).limit(limit)))


def drafts_of(user: User) -> list[Event]:
    query = sa.select(Event).where(Event.status == EventStatus.DRAFT).order_by(Event.starts_at)
    if not user.is_admin:
        query = query.where(Event.hosts.any(User.id == user.id))
    return list(db.session.scalars(query))


def event_cities() -> list[str]:
    query = (
        sa.select(Event.city)
        .where(Event.city != "", Event.status == EventStatus.PUBLISHED)
        .group_by(Event.city)
        .order_by(Event.city)
    )
    return list(db.session.scalars(query))


@dataclass
class EventPage:
    event: Event
    confirmed: int
    mine: Registration | None

    @property
    def seats_left(self) -> int | None:
        return registration.seats_left(self.event, self.confirmed)


def event_page(event_id: int, viewer_id: int | None) -> EventPage | None:
    """The event, its hosts, the seats taken and the viewer's registration: one query."""
    mine = sa.orm.aliased(Registration, name="mine")
    confirmed_seats = (
        sa.select(sa.func.count())
        .where(
            Registration.event_id == Event.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .correlate(Event)
        .scalar_subquery()
    )
    query = (
        sa.select(Event, confirmed_seats, mine)
        .outerjoin(mine, sa.and_(mine.event_id == Event.id, mine.user_id == (viewer_id or -1)))
        .where(Event.id == event_id)
        # The page names its hosts and links to them; nothing more of them is needed.
        .options(
            joinedload(Event.hosts).options(load_only(User.id, User.name), lazyload(User.sector)),
            selectinload(Event.questions),
        )
    )
    row = db.session.execute(query).unique().one_or_none()
    return EventPage(*row) if row else None


GOING_SHOWN = 60  # names on the page; a bigger crowd is counted beyond them


def going(event_id: int) -> list[User]:
    """Who is going, for signed-in members: the confirmed who allow it, by name, with their
    sector (one query)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .join(Registration, Registration.user_id == User.id)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.CONFIRMED,
                User.show_going.is_(True),
                User.deleted_at.is_(None),
            )
            .order_by(User.name_key, User.id)
            .limit(GOING_SHOWN)
        )
    )


def event_with_hosts(event_id: int) -> Event | None:
    return db.session.scalar(
        sa.select(Event)
        .where(Event.id == event_id)
        .options(selectinload(Event.hosts), selectinload(Event.questions))
    )


def default_local_times(zone: str, now: datetime | None = None) -> tuple[datetime, datetime]:
    """A first guess for a new event: a week ahead, 18:30 to 20:30 wall-clock in `zone`."""
    local_now = (now or utcnow()).astimezone(ZoneInfo(zone))
    start = (local_now + timedelta(days=7)).replace(hour=18, minute=30, second=0, microsecond=0)
    return start.replace(tzinfo=None), (start + timedelta(hours=2)).replace(tzinfo=None)


FEED_LOOKBACK = timedelta(days=30)


def confirmed_events_of(user: User, *, now: datetime | None = None) -> list[Event]:
    """The member's confirmed events from 30 days back, cancelled ones included (so a
    subscribed calendar learns of the cancellation)."""
    now = now or utcnow()
    query = (
        sa.select(Event)
        .join(Registration, Registration.event_id == Event.id)
        .where(
            Registration.user_id == user.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Event.status != EventStatus.DRAFT,
            Event.ends_at >= now - FEED_LOOKBACK,
        )
        .order_by(Event.starts_at)
    )
    return list(db.session.scalars(query))
