"""Events proposed by members: saved as proposals, decided by a host or an admin.

An approved proposal becomes a draft its proposer co-hosts with whoever approved it; a
declined one stays, with the reason, for its proposer to read. Either way they are emailed.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, EventStatus, Registration, RegistrationStatus, User, event_hosts
from app.services import errors, events
from app.services.events import EventDetails
from app.services.links import external_url
from app.services.mail import queue_email

OPEN_PROPOSALS_LIMIT = 5


def open_proposals_of(user_id: int) -> int:
    query = sa.select(sa.func.count()).where(
        Event.proposed_by_id == user_id, Event.status == EventStatus.PROPOSED
    )
    return db.session.scalar(query)


def waiting_count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).where(Event.status == EventStatus.PROPOSED))


def propose_event(proposer: User, details: EventDetails) -> Event:
    if open_proposals_of(proposer.id) >= OPEN_PROPOSALS_LIMIT:
        raise errors.TooManyProposals()
    event = Event(
        status=EventStatus.PROPOSED,
        created_by_id=proposer.id,
        proposed_by_id=proposer.id,
        capacity=details.capacity,
    )
    events.apply_details(event, details)
    db.session.add(event)
    db.session.flush()
    return event


def update_proposal(event_id: int, proposer: User, details: EventDetails) -> Event:
    """The proposer's own edits, while nobody has decided yet."""
    event = _undecided(event_id)
    if event.proposed_by_id != proposer.id:
        raise errors.ProposalDecided()
    events.apply_details(event, details)
    event.capacity = details.capacity
    return event


def _undecided(event_id: int) -> Event:
    event = db.session.scalar(
        sa.select(Event)
        .where(Event.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if event is None or event.status != EventStatus.PROPOSED:
        raise errors.ProposalDecided()
    return event


def approve(event_id: int, decider: User) -> Event:
    """A draft now, hosted by its proposer and the one who approved it."""
    event = _undecided(event_id)
    proposer = db.session.get(User, event.proposed_by_id) if event.proposed_by_id else None
    event.status = EventStatus.DRAFT
    event.hosts = [person for person in (proposer, decider) if person is not None]
    _tell(
        event,
        proposer,
        "proposal_approved",
        edit_url=external_url("events.edit_event", event_id=event.id),
    )
    return event


def decline(event_id: int, decider: User, reason: str) -> Event:
    event = _undecided(event_id)
    event.status = EventStatus.DECLINED
    event.decline_reason = reason.strip()
    proposer = db.session.get(User, event.proposed_by_id) if event.proposed_by_id else None
    _tell(event, proposer, "proposal_declined", reason=event.decline_reason)
    return event


def _tell(event: Event, proposer: User | None, template: str, **context) -> None:
    if proposer is None or proposer.email is None:
        return
    queue_email(
        proposer.email,
        template,
        locale=proposer.locale,
        dedupe_key=f"{template}:{event.id}",
        user=proposer,
        event=event,
        event_url=external_url("events.event_page", event_id=event.id),
        **context,
    )


@dataclass
class Proposal:
    event: Event
    proposer: User | None
    attended: int  # events the proposer came to (checked in)
    hosted: int  # events the proposer hosts or hosted, published
    proposed_before: int  # their earlier proposals, whatever became of them


def queue() -> list[Proposal]:
    """Proposals waiting for a decision, oldest first, with what tells about the proposer."""
    waiting = list(
        db.session.scalars(
            sa.select(Event)
            .where(Event.status == EventStatus.PROPOSED)
            .order_by(Event.created_at, Event.id)
        )
    )
    proposer_ids = {event.proposed_by_id for event in waiting if event.proposed_by_id}
    people = {
        user.id: user
        for user in db.session.scalars(
            sa.select(User).where(User.id.in_(proposer_ids)).options(selectinload(User.sector))
        )
    }
    attended = dict(
        db.session.execute(
            sa.select(Registration.user_id, sa.func.count())
            .where(
                Registration.user_id.in_(proposer_ids),
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.checked_in_at.is_not(None),
            )
            .group_by(Registration.user_id)
        ).all()
    )
    hosted = dict(
        db.session.execute(
            sa.select(event_hosts.c.user_id, sa.func.count())
            .join(Event, Event.id == event_hosts.c.event_id)
            .where(event_hosts.c.user_id.in_(proposer_ids), Event.status == EventStatus.PUBLISHED)
            .group_by(event_hosts.c.user_id)
        ).all()
    )
    proposed = dict(
        db.session.execute(
            sa.select(Event.proposed_by_id, sa.func.count())
            .where(Event.proposed_by_id.in_(proposer_ids))
            .group_by(Event.proposed_by_id)
        ).all()
    )
    return [
        Proposal(
            event=event,
            proposer=people.get(event.proposed_by_id),
            attended=attended.get(event.proposed_by_id, 0),
            hosted=hosted.get(event.proposed_by_id, 0),
            proposed_before=proposed.get(event.proposed_by_id, 1) - 1,
        )
        for event in waiting
    ]


def proposals_of(user_id: int) -> list[Event]:
    """A member's own proposals, newest first, whatever became of them."""
    return list(
        db.session.scalars(
            sa.select(Event)
            .where(Event.proposed_by_id == user_id)
            .order_by(Event.created_at.desc(), Event.id.desc())
        )
    )
