"""The emails that follow a change to an event or a registration.

Each is written to the outbox in the transaction of the change that causes it, in the
recipient's language, with the event as an .ics where a calendar should change.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, EventStatus, MailCategory, Registration, RegistrationStatus
from app.services.calendar import event_ics
from app.services.links import external_url
from app.services.mail import queue_email

REMINDER_AHEAD = timedelta(hours=24)


def _send(
    registration: Registration,
    template: str,
    *,
    method: str | None,
    dedupe_key: str | None = None,
    **context,
):
    user, event = registration.user, registration.event
    if user.email is None:  # a deleted account
        return None
    ics = None
    if method:
        private = method == "REQUEST"
        ics = event_ics(event, method=method, private=private, attendee_email=user.email)
    context.setdefault("category", MailCategory.REGISTRATIONS)  # in Telegram too, if chosen
    return queue_email(
        user.email,
        template,
        locale=user.locale,
        dedupe_key=dedupe_key,
        ics=ics,
        ics_method=method,
        recipient_id=user.id,
        user=user,
        event=event,
        registration=registration,
        event_url=external_url("events.event_page", event_id=event.id),
        # The online link travels only to those holding a seat.
        show_online_link=registration.status == RegistrationStatus.CONFIRMED,
        **context,
    )


def registration_changed(
    registration: Registration, *, held_seat=False, promoted=False, approved=False
) -> None:
    status = registration.status
    if status == RegistrationStatus.CONFIRMED:
        reason = "promoted" if promoted else "approved" if approved else "registered"
        _send(
            registration,
            "registration_confirmed",
            method="REQUEST",
            reason=reason,
            code_url=external_url("events.ticket_code", token=registration.ticket_token),
            my_events_url=external_url("members.my_events_page"),
        )
    elif status == RegistrationStatus.WAITLISTED:
        _send(registration, "registration_waitlisted", method=None, approved=approved)
    elif status == RegistrationStatus.PENDING:
        _send(registration, "registration_pending", method=None)
    elif status == RegistrationStatus.REJECTED:
        _send(registration, "registration_rejected", method="CANCEL" if held_seat else None)
    elif status == RegistrationStatus.CANCELLED:
        _send(registration, "registration_cancelled", method="CANCEL" if held_seat else None)


def _registrations(event: Event, statuses) -> list[Registration]:
    query = (
        sa.select(Registration)
        .where(Registration.event_id == event.id, Registration.status.in_(statuses))
        .options(selectinload(Registration.user))
    )
    return list(db.session.scalars(query))


def event_updated(event: Event, changes: list[str]) -> None:
    """Time or place changed: confirmed attendees get the new entry (same UID, new SEQUENCE)."""
    for registration in _registrations(event, [RegistrationStatus.CONFIRMED]):
        _send(registration, "event_updated", method="REQUEST", changes=changes)


def event_cancelled(event: Event) -> None:
    active = [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.PENDING,
    ]
    for registration in _registrations(event, active):
        held_seat = registration.status == RegistrationStatus.CONFIRMED
        _send(registration, "event_cancelled", method="CANCEL" if held_seat else None)


def send_due_reminders(now: datetime) -> int:
    """Remind confirmed attendees a day ahead. The dedupe key makes a second run a no-op,
    and names the start time, so a moved event is reminded again."""
    query = (
        sa.select(Registration)
        .join(Event)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            Event.starts_at <= now + REMINDER_AHEAD,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .options(selectinload(Registration.user), selectinload(Registration.event))
    )
    sent = 0
    for registration in db.session.scalars(query):
        event = registration.event
        key = f"reminder:{event.id}:{registration.user_id}:{event.starts_at.isoformat()}"
        queued = _send(
            registration,
            "event_reminder",
            method=None,
            dedupe_key=key,
            category=MailCategory.REMINDERS,
        )
        if queued is not None:
            sent += 1
    return sent
