"""Seats: register, cancel, approve, reject, promote, check in.

Every change of who holds a seat runs here, under a lock on the event row, so no path —
members racing each other or a host's action — can confirm more people than the capacity.
The emails each change causes are written to the outbox in the same transaction.
"""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, EventStatus, Registration, RegistrationStatus, User
from app.models.types import utcnow
from app.services import errors, notifications

ACTIVE = (RegistrationStatus.PENDING, RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


LOCK_WAIT_SECONDS = 5  # then the person is told to try again, rather than left waiting


def lock_event(event_id: int) -> Event:
    """Take the event's row lock for the rest of the transaction and return it fresh.

    Gives up after LOCK_WAIT_SECONDS with `EventBusy`: a seat change never hangs."""
    try:
        if db.session.get_bind().dialect.name == "sqlite":
            # SQLite has no row locks: a write takes the database's write lock at once (its
            # busy_timeout bounds the wait), so the counts read below cannot change before
            # this transaction commits.
            db.session.execute(
                sa.text("UPDATE events SET id = id WHERE id = :id"), {"id": event_id}
            )
        else:
            db.session.execute(sa.text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_SECONDS}s'"))
        query = (
            sa.select(Event)
            .where(Event.id == event_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        event = db.session.scalar(query)
    except sa.exc.OperationalError as error:
        if not _is_lock_timeout(error):
            raise
        db.session.rollback()
        raise errors.EventBusy() from None
    if event is None:
        raise errors.EventNotOpen()
    return event


def _is_lock_timeout(error: sa.exc.OperationalError) -> bool:
    # PostgreSQL: SQLSTATE 55P03 lock_not_available; SQLite: "database is locked".
    code = getattr(error.orig, "sqlstate", None)
    return code == "55P03" or "database is locked" in str(error.orig)


def confirmed_count(event_id: int) -> int:
    query = sa.select(sa.func.count()).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.CONFIRMED
    )
    return db.session.scalar(query)


def seats_left(event: Event, confirmed: int) -> int | None:
    """None means unlimited."""
    return None if event.capacity is None else max(event.capacity - confirmed, 0)


def registration_of(event_id: int, user_id: int) -> Registration | None:
    query = sa.select(Registration).where(
        Registration.event_id == event_id, Registration.user_id == user_id
    )
    return db.session.scalar(query)


def closing_time(event: Event) -> datetime:
    """When registration closes: at the deadline, else at the start; never after the end."""
    return min(event.registration_closes_at or event.starts_at, event.ends_at)


def registration_is_open(event: Event, now: datetime) -> bool:
    return event.status == EventStatus.PUBLISHED and now < closing_time(event)


def register(
    event_id: int, user: User, *, answers: dict | None = None, now: datetime | None = None
) -> Registration:
    """Take a seat, join the waitlist, or ask the hosts, with the answers to the event's
    registration questions (app/services/registration_questions.py); a second click
    changes nothing."""
    now = now or utcnow()
    event = lock_event(event_id)
    registration = registration_of(event.id, user.id)
    if registration is not None and registration.status in ACTIVE:
        return registration
    if registration is not None and registration.status == RegistrationStatus.REJECTED:
        raise errors.RegistrationDeclined()
    if user.email_confirmed_at is None:
        raise errors.EmailNotConfirmed()
    if event.status != EventStatus.PUBLISHED:
        raise errors.EventNotOpen()
    if not registration_is_open(event, now):
        raise errors.RegistrationClosed()

    if event.requires_approval:
        status = RegistrationStatus.PENDING
    elif seats_left(event, confirmed_count(event.id)) == 0:
        status = RegistrationStatus.WAITLISTED
    else:
        status = RegistrationStatus.CONFIRMED

    if registration is None:
        registration = Registration(event=event, user=user)
        db.session.add(registration)
    registration.status = status
    registration.created_at = utcnow()  # arrival order, read under the lock
    registration.checked_in_at = None
    registration.rejection_reason = ""
    registration.answers = answers or {}
    db.session.flush()
    notifications.registration_changed(registration)
    return registration


def cancel(event_id: int, user: User) -> Registration | None:
    """Give up a seat (or a place in the queue); the earliest waitlisted member moves up."""
    event = lock_event(event_id)
    registration = registration_of(event.id, user.id)
    if registration is None or registration.status not in ACTIVE:
        return registration
    held_seat = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.CANCELLED
    registration.checked_in_at = None
    if held_seat:
        event.sequence += 1  # the CANCEL must outrank the entry it takes away
    db.session.flush()
    notifications.registration_changed(registration, held_seat=held_seat)
    if held_seat:
        promote_from_waitlist(event)
    return registration


def promote_from_waitlist(event: Event) -> list[Registration]:
    """Confirm the earliest waitlisted members while seats are free. Needs the event lock."""
    if event.status != EventStatus.PUBLISHED:
        return []
    free = seats_left(event, confirmed_count(event.id))
    query = (
        sa.select(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(Registration.created_at, Registration.id)
        .options(selectinload(Registration.user))
    )
    if free is not None:
        if free == 0:
            return []
        query = query.limit(free)
    promoted = list(db.session.scalars(query))
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        notifications.registration_changed(registration, promoted=True)
    db.session.flush()
    return promoted


def waitlist_positions(seats: list[Registration]) -> dict[int, int]:
    """Where each waitlisted seat stands in its event's queue (1 is next, as
    `promote_from_waitlist` takes them), by registration id: one query for them all."""
    waiting = [seat.id for seat in seats if seat.status == RegistrationStatus.WAITLISTED]
    if not waiting:
        return {}
    ahead = sa.orm.aliased(Registration)
    queued_before = sa.or_(
        ahead.created_at < Registration.created_at,
        sa.and_(ahead.created_at == Registration.created_at, ahead.id <= Registration.id),
    )
    query = (
        sa.select(Registration.id, sa.func.count(ahead.id))
        .join(
            ahead,
            sa.and_(
                ahead.event_id == Registration.event_id,
                ahead.status == RegistrationStatus.WAITLISTED,
                queued_before,
            ),
        )
        .where(Registration.id.in_(waiting))
        .group_by(Registration.id)
    )
    return dict(db.session.execute(query).all())


def _registration_in(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        raise errors.DomainError()
    return registration


def approve(event_id: int, registration_id: int) -> Registration:
    """A host says yes: a seat if one is free, else the waitlist."""
    event = lock_event(event_id)
    registration = _registration_in(event, registration_id)
    if registration.status != RegistrationStatus.PENDING:
        return registration
    if seats_left(event, confirmed_count(event.id)) == 0:
        registration.status = RegistrationStatus.WAITLISTED
    else:
        registration.status = RegistrationStatus.CONFIRMED
    db.session.flush()
    notifications.registration_changed(registration, approved=True)
    return registration


def approve_many(event_id: int, registration_ids: list[int]) -> tuple[int, int]:
    """Say yes to the pending requests among the ids, oldest first, as `approve` does one by
    one (a seat while one is free, then the waitlist): (confirmed, waitlisted)."""
    lock_event(event_id)
    pending = db.session.scalars(
        sa.select(Registration.id)
        .where(
            Registration.event_id == event_id,
            Registration.id.in_(registration_ids),
            Registration.status == RegistrationStatus.PENDING,
        )
        .order_by(Registration.created_at, Registration.id)
    ).all()
    outcomes = [approve(event_id, registration_id).status for registration_id in pending]
    return outcomes.count(RegistrationStatus.CONFIRMED), outcomes.count(
        RegistrationStatus.WAITLISTED
    )


def reject(event_id: int, registration_id: int, reason: str) -> Registration:
    event = lock_event(event_id)
    registration = _registration_in(event, registration_id)
    if registration.status not in ACTIVE:
        return registration
    held_seat = registration.status == RegistrationStatus.CONFIRMED
    registration.status = RegistrationStatus.REJECTED
    registration.rejection_reason = reason.strip()
    registration.checked_in_at = None
    if held_seat:
        event.sequence += 1  # the CANCEL must outrank the entry it takes away
    db.session.flush()
    notifications.registration_changed(registration)
    if held_seat:
        promote_from_waitlist(event)
    return registration


def change_capacity(event: Event, capacity: int | None) -> None:
    """Set a new capacity on a locked event; more seats go to the waitlist at once."""
    taken = confirmed_count(event.id)
    if capacity is not None and capacity < taken:
        raise errors.CapacityBelowTaken(taken)
    event.capacity = capacity
    promote_from_waitlist(event)


def walk_in(event_id: int, user: User, *, now: datetime | None = None) -> Registration:
    """Someone at the door who did not register (or is waiting for a seat): confirmed and
    checked in at once, if a seat is free; the capacity holds, so a full event says so."""
    event = lock_event(event_id)
    seat = db.session.scalar(
        sa.select(Registration).where(
            Registration.event_id == event_id, Registration.user_id == user.id
        )
    )
    if seat is None or seat.status != RegistrationStatus.CONFIRMED:
        if seats_left(event, confirmed_count(event_id)) == 0:
            raise errors.FullAtTheDoor()
        if seat is None:
            seat = Registration(event_id=event_id, user_id=user.id)
            db.session.add(seat)
        seat.status = RegistrationStatus.CONFIRMED
        db.session.flush()
    check_in(seat, now=now)
    return seat


def check_in(registration: Registration, *, now: datetime | None = None) -> bool:
    """Mark a confirmed attendee as arrived. Returns False when they already were."""
    if registration.status != RegistrationStatus.CONFIRMED:
        raise errors.NotConfirmed()
    if registration.checked_in_at is not None:
        return False
    registration.checked_in_at = now or utcnow()
    return True


def undo_check_in(registration: Registration) -> None:
    registration.checked_in_at = None


def registration_of_id(event_id: int, registration_id: int) -> Registration | None:
    found = db.session.get(Registration, registration_id)
    return found if found is not None and found.event_id == event_id else None
