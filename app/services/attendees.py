"""The host's view of who is coming: lists, counts, export, tickets."""

import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.labels import REGISTRATION_STATUS_LABELS
from app.models import Event, Registration, RegistrationStatus, User
from app.models.types import utcnow
from app.services import accounts, errors, registration
from app.services.collation import name_key
from app.services.directory import escape_like
from app.services.registration_questions import readable
from app.services.spreadsheets import csv_text

FILTERS = ("all", "confirmed", "checked_in", "not_checked_in", "waitlisted", "pending", "other")


@dataclass
class AttendeeCounts:
    by_status: dict[str, int] = field(default_factory=dict)
    checked_in: int = 0

    @property
    def confirmed(self) -> int:
        return self.by_status.get(RegistrationStatus.CONFIRMED, 0)

    @property
    def not_checked_in(self) -> int:
        return self.confirmed - self.checked_in


def attendee_counts(event_id: int) -> AttendeeCounts:
    checked = sa.func.count(Registration.checked_in_at)
    rows = db.session.execute(
        sa.select(Registration.status, sa.func.count(), checked)
        .join(User, User.id == Registration.user_id)
        .where(Registration.event_id == event_id, User.deleted_at.is_(None))
        .group_by(Registration.status)
    )
    counts = AttendeeCounts()
    for status, total, checked_in in rows:
        counts.by_status[status] = total
        counts.checked_in += checked_in
    return counts


def _name_or_email_holds(text: str):
    return sa.or_(
        User.name_key.like(f"%{escape_like(name_key(text))}%", escape="\\"),
        User.email.like(f"%{escape_like(text.strip().lower())}%", escape="\\"),
    )


def attendees_query(event_id: int, *, text: str = "", show: str = "all") -> sa.Select:
    query = (
        sa.select(Registration)
        .join(User, User.id == Registration.user_id)
        # A deleted account is on no list, even of past events (it still counts in analytics).
        .where(Registration.event_id == event_id, User.deleted_at.is_(None))
        .options(joinedload(Registration.user).joinedload(User.sector))
    )
    if text:
        query = query.where(_name_or_email_holds(text))
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    match show:
        case "confirmed":
            query = query.where(confirmed)
        case "checked_in":
            query = query.where(confirmed, Registration.checked_in_at.is_not(None))
        case "not_checked_in":
            query = query.where(confirmed, Registration.checked_in_at.is_(None))
        case "waitlisted" | "pending":
            query = query.where(Registration.status == show)
        case "other":
            query = query.where(
                Registration.status.in_([RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED])
            )
        case "everyone":
            pass
        case _:  # "all": everyone still in play
            query = query.where(
                Registration.status.not_in(
                    [RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED]
                )
            )
    return query.order_by(User.name_key, Registration.id)


PAGE_SIZE = 50  # rows a page shows; "Show more" brings the next, searching finds anyone


def list_attendees(
    event_id: int, *, text: str = "", show: str = "all", page: int = 1
) -> tuple[list[Registration], bool]:
    """One page of the list, and whether another follows."""
    query = attendees_query(event_id, text=text, show=show)
    rows = list(db.session.scalars(query.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    return rows[:PAGE_SIZE], len(rows) > PAGE_SIZE


def registration_in_event(event_id: int, registration_id: int) -> Registration | None:
    registration = db.session.get(
        Registration, registration_id, options=[joinedload(Registration.user)]
    )
    return registration if registration and registration.event_id == event_id else None


def registration_by_ticket(token: str) -> Registration | None:
    query = (
        sa.select(Registration)
        .where(Registration.ticket_token == token)
        .options(
            joinedload(Registration.user), joinedload(Registration.event).selectinload(Event.hosts)
        )
    )
    return db.session.scalar(query)


# A scanned code is a ticket link, `…/t/<token>`: the token is what counts.
TICKET_IN_TEXT = re.compile(r"(?:^|/t/)([A-Za-z0-9_-]{8,40})/?$")


def ticket_in(scanned: str) -> str | None:
    """The ticket token a scanned code carries, or None for anything else."""
    match = TICKET_IN_TEXT.search(scanned.strip())
    return match.group(1) if match else None


def door_outcome(seat: Registration, *, check_in: bool) -> str:
    """What the door says of a ticket: "not_confirmed", "already", "checked_in" (when
    `check_in`, which it does) or "ready" (a confirmed seat, not yet checked in)."""
    if seat.status != RegistrationStatus.CONFIRMED:
        return "not_confirmed"
    if seat.checked_in_at is not None:
        return "already"
    if check_in:
        registration.check_in(seat)
        return "checked_in"
    return "ready"


def scan_at_door(event_id: int, scanned: str) -> tuple[Registration | None, str]:
    """A code read at this event's door: the seat and what the door says of it (checking it
    in when it can), or (None, "unknown") for anything but one of this event's tickets."""
    token = ticket_in(scanned)
    seat = registration_by_ticket(token) if token else None
    if seat is None or seat.event_id != event_id:
        return None, "unknown"
    return seat, door_outcome(seat, check_in=True)


def walk_in(event_id: int, *, email: str, name: str) -> tuple[Registration, bool]:
    """Someone at the door: a member found by email, or a new person (name and email) whose
    account is made and who is mailed a link to choose a password. Confirmed and checked in
    at once; (their seat, whether the account is new). All or nothing: a full event makes
    no account."""
    person = accounts.user_by_email(email)
    new = person is None
    if new:
        if not (name or "").strip():
            raise errors.WalkInNeedsName()
        person = accounts.create_user(email=email, name=name, password=secrets.token_urlsafe(24))
    seat = registration.walk_in(event_id, person)
    if new:
        accounts.welcome_walk_in(person)
    return seat, new


FOUND_AT_THE_DOOR = 8


def find_at_the_door(event_id: int, text: str) -> list[tuple[User, Registration | None]]:
    """Members whose name or email holds the text, with their seat at this event if any:
    the host lets in the right one of several Iryna Kovals by organisation and email."""
    text = text.strip()
    if len(text) < 2:
        return []
    query = (
        sa.select(User, Registration)
        .outerjoin(
            Registration,
            sa.and_(Registration.user_id == User.id, Registration.event_id == event_id),
        )
        .where(User.deleted_at.is_(None), _name_or_email_holds(text))
        .order_by(User.name_key)
        .limit(FOUND_AT_THE_DOOR)
    )
    return [(user, seat) for user, seat in db.session.execute(query)]


def walk_in_member(event_id: int, member_id: int) -> Registration:
    """A member the host found by name, confirmed and checked in at once."""
    person = db.session.get(User, member_id)
    if person is None or person.deleted_at is not None:
        raise errors.NoSuchMember()
    return registration.walk_in(event_id, person)


def check_in_many(
    event_id: int, registration_ids: list[int], *, now: datetime | None = None
) -> int:
    """Check in every confirmed, not yet checked-in registration among the ids, in one go."""
    result = db.session.execute(
        sa.update(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.id.in_(registration_ids),
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.checked_in_at.is_(None),
        )
        .values(checked_in_at=now or utcnow())
    )
    return result.rowcount


def attendees_csv(event: Event) -> str:
    """Everyone who registered, with their answers to the registration questions, in the
    reader's language."""
    header = [
        _("Name"),
        _("Email"),
        _("Sector"),
        _("Organisation"),
        _("Status"),
        _("Registered at"),
        _("Checked in at"),
        *(question.text for question in event.questions),
    ]
    zone = event.zone
    rows = [header]
    for seat in db.session.scalars(attendees_query(event.id, show="everyone")).unique():
        user = seat.user
        given = seat.answers or {}
        rows.append(
            [
                user.name,
                user.email or "",
                user.sector.name if user.sector else "",
                user.organisation,
                str(REGISTRATION_STATUS_LABELS[seat.status]),
                _local(seat.created_at, zone),
                _local(seat.checked_in_at, zone),
                *(readable(q, given.get(str(q.id))) for q in event.questions),
            ]
        )
    return csv_text(rows)


def _local(moment: datetime | None, zone) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else ""
