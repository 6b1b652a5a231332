"""Live rounds at an event: who is here, draft a round, adjust it, publish, close."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Event,
    EventFormat,
    EventStatus,
    Meeting,
    MeetingMember,
    Registration,
    RegistrationStatus,
    Round,
    RoundKind,
    RoundStatus,
    User,
)
from app.models.types import utcnow
from app.pairing import match_avoiding
from app.services import errors, meetings
from app.services.registration import lock_event
from app.services.telegram import live as live_news

SEED_RANGE = 2**31 - 1


def present(event_id: int) -> list[Registration]:
    """Checked-in attendees, the ones who left included (the console shows them)."""
    query = (
        sa.select(Registration)
        .join(User, User.id == Registration.user_id)
        .where(
            Registration.event_id == event_id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Registration.checked_in_at.is_not(None),
            User.deleted_at.is_(None),
        )
        .options(selectinload(Registration.user).selectinload(User.sector))
        .order_by(User.name_key)
    )
    return list(db.session.scalars(query))


def _live_rounds(event_id: int) -> sa.Select:
    """An event's live rounds with their meetings and people, loaded for the pages."""
    return (
        sa.select(Round)
        .where(Round.kind == RoundKind.LIVE, Round.event_id == event_id)
        .order_by(Round.number)
        .options(
            selectinload(Round.meetings)
            .selectinload(Meeting.members)
            .selectinload(MeetingMember.user)
            .selectinload(User.sector)
        )
    )


def rounds_of(event_id: int) -> list[Round]:
    return list(db.session.scalars(_live_rounds(event_id)))


def round_by_number(event_id: int, number: int) -> Round | None:
    return db.session.scalar(_live_rounds(event_id).where(Round.number == number))


def set_left(registration: Registration, left: bool, *, now: datetime | None = None) -> None:
    registration.left_at = (now or utcnow()) if left else None


def draft_round(event_id: int, *, minutes: int, now: datetime | None = None) -> Round:
    """Pair everyone present (late arrivals included, leavers out) for the next round.

    Redrafting replaces the current draft but keeps its pinned meetings.
    """
    now = now or utcnow()
    event = lock_event(event_id)
    existing = rounds_of(event.id)
    draft = next((r for r in existing if r.status == RoundStatus.DRAFT), None)
    pinned = [m for m in draft.meetings if m.pinned] if draft else []
    pinned_ids = {member.user_id for m in pinned for member in m.members}
    here = [r.user_id for r in present(event.id) if r.left_at is None]
    pool = [uid for uid in here if uid not in pinned_ids]
    if len(here) < 2:
        raise errors.NotEnoughPeople()

    tonight = _pairs_met(r for r in existing if r.status != RoundStatus.DRAFT)
    people = meetings.people_of(pool, now)
    draft = _empty_draft(event, existing, draft)
    draft.minutes = minutes
    # Repeatable for the same evening, and within the column's INTEGER: past event 271 the
    # product alone overflowed it, and drafting a round answered 500.
    draft.seed = ((event.id * 1000 + draft.number) * 7919 + len(here)) % SEED_RANGE
    matching = match_avoiding(
        list(people.values()),
        tonight,
        met=meetings.past_meetings(pool, now=now, exclude_round_ids=[r.id for r in existing]),
        blocked=meetings.blocked_pairs(pool),
        in_person=False,
        seed=draft.seed,
    )
    meetings.add_meetings(
        draft,
        matching.groups,
        people,
        tables=event.is_in_person,
        online=event.format == EventFormat.ONLINE,
        start_table=len(pinned) + 1,
    )
    draft.stats = {
        "people": len(here),
        "score": matching.score,
        "alone": [g[0] for g in matching.groups if len(g) == 1],
        "repeats": len(_pairs_in(matching.groups) & tonight),
    }
    db.session.flush()
    _renumber_tables(draft, event)
    return draft


def _pairs_in(groups) -> set[tuple[int, int]]:
    """Every two people who share a group (a pair, or a trio's three pairs), smaller id first."""
    return {
        tuple(sorted((a, b)))
        for group in groups
        for i, a in enumerate(group)
        for b in group[i + 1 :]
    }


def _pairs_met(rounds) -> set[tuple[int, int]]:
    return _pairs_in(
        [member.user_id for member in meeting.members]
        for round_ in rounds
        for meeting in round_.meetings
    )


def _empty_draft(event: Event, existing: list[Round], draft: Round | None) -> Round:
    """The round to fill: the current draft with only its pinned meetings, or a new one."""
    if draft is None:
        number = max((r.number for r in existing), default=0) + 1
        draft = Round(kind=RoundKind.LIVE, event_id=event.id, number=number)
        db.session.add(draft)
        return draft
    for meeting in [m for m in draft.meetings if not m.pinned]:
        draft.meetings.remove(meeting)
    db.session.flush()
    return draft


def _renumber_tables(round_: Round, event: Event) -> None:
    if not event.is_in_person:
        return
    for number, meeting in enumerate(sorted(round_.meetings, key=lambda m: m.id), start=1):
        meeting.table_number = number


def _draft(event_id: int, round_id: int) -> Round:
    round_ = db.session.get(Round, round_id)
    if round_ is None or round_.event_id != event_id:
        raise errors.DomainError()
    if round_.status != RoundStatus.DRAFT:
        raise errors.RoundNotDraft()
    return round_


def swap(
    event_id: int, round_id: int, first_user: int, second_user: int, *, now: datetime | None = None
) -> None:
    """Exchange two people between meetings of a draft. Each new meeting keeps why its
    people fit (as a drafted one does), and says that the hosts put them together."""
    round_ = _draft(event_id, round_id)
    members = {m.user_id: m for meeting in round_.meetings for m in meeting.members}
    a, b = members.get(first_user), members.get(second_user)
    if a is None or b is None or a.meeting_id == b.meeting_id:
        raise errors.NotASwap()
    a_meeting, b_meeting = a.meeting, b.meeting
    a_meeting.members.remove(a)
    b_meeting.members.remove(b)
    db.session.flush()
    a_meeting.members.append(MeetingMember(user_id=second_user, round_id=round_.id))
    b_meeting.members.append(MeetingMember(user_id=first_user, round_id=round_.id))
    groups = [tuple(m.user_id for m in meeting.members) for meeting in (a_meeting, b_meeting)]
    people = meetings.people_of({i for group in groups for i in group}, now or utcnow())
    for meeting, group in zip((a_meeting, b_meeting), groups, strict=True):
        fit = [r for r in meetings.reasons_for(group, people) if r != "fresh_pair"]
        meeting.reasons = ["chosen_by_host", *fit]
        meeting.pinned = True


def toggle_pin(event_id: int, round_id: int, meeting_id: int) -> None:
    round_ = _draft(event_id, round_id)
    meeting = next((m for m in round_.meetings if m.id == meeting_id), None)
    if meeting is None:
        raise errors.DomainError()
    meeting.pinned = not meeting.pinned


def publish(event_id: int, round_id: int, *, now: datetime | None = None) -> Round:
    """Make a draft the round on everyone's phones (and in the Telegram of those who linked
    it), closing the one before. Under the event lock: two hosts publishing at once leave one
    round published, not two."""
    lock_event(event_id)
    db.session.expire_all()  # what this request read before the lock may be out of date
    round_ = _draft(event_id, round_id)
    for other in rounds_of(event_id):
        if other.status == RoundStatus.PUBLISHED:
            other.status = RoundStatus.CLOSED
    round_.status = RoundStatus.PUBLISHED
    round_.starts_at = now or utcnow()
    live_news.round_published(round_)
    return round_


def close(event_id: int, round_id: int) -> None:
    round_ = db.session.get(Round, round_id)
    if round_ is not None and round_.event_id == event_id:
        round_.status = RoundStatus.CLOSED


def my_meetings(event_id: int, user_id: int) -> list[MeetingMember]:
    """The member's meetings at this event, newest round first (drafts hidden)."""
    query = (
        sa.select(MeetingMember)
        .join(Round, Round.id == MeetingMember.round_id)
        .where(
            Round.event_id == event_id,
            Round.kind == RoundKind.LIVE,
            Round.status != RoundStatus.DRAFT,
            MeetingMember.user_id == user_id,
        )
        .order_by(Round.number.desc())
        .options(*meetings.WITH_PARTNERS)
    )
    return list(db.session.scalars(query))


def live_state(event_id: int, user_id: int) -> dict:
    """What the attendee's phone shows: the current round's meeting, if any, and the last ones."""
    mine = my_meetings(event_id, user_id)
    current = next((m for m in mine if m.round.status == RoundStatus.PUBLISHED), None)
    published = db.session.scalar(
        sa.select(sa.func.max(Round.number)).where(
            Round.event_id == event_id, Round.status == RoundStatus.PUBLISHED
        )
    )
    return {"current": current, "past": [m for m in mine if m is not current], "round": published}


def current_round_tag(event_id: int) -> str | None:
    """A short tag of the round the room is in: it changes when a round is published or
    closed, and is the same for every attendee. None when there is no such published event."""
    row = db.session.execute(
        sa.select(Event.status, Round.id, Round.starts_at, Round.minutes)
        .outerjoin(
            Round,
            sa.and_(
                Round.event_id == Event.id,
                Round.kind == RoundKind.LIVE,
                Round.status == RoundStatus.PUBLISHED,
            ),
        )
        .where(Event.id == event_id, Event.status != EventStatus.DRAFT)
        .order_by(Round.number.desc())
        .limit(1)
    ).one_or_none()
    if row is None:
        return None
    return hashlib.blake2b(repr(tuple(row)).encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class LiveVersion:
    """What an attendee's live panel is drawn from, read in one statement: equal versions
    draw the same panel, so a phone polling every few seconds is answered 304."""

    event_status: str
    hosting: bool
    seat_status: str | None
    checked_in: bool
    round_id: int | None  # the published round
    round_started: object  # as the database gives it: only compared
    round_minutes: int | None
    feedback: tuple  # when anyone in the viewer's meetings at this event last answered

    def tag(self, *context) -> str:
        return hashlib.blake2b(repr((self, context)).encode(), digest_size=16).hexdigest()


# Written as SQL: a phone asks this every few seconds, and building the same statement with
# aliases and subqueries in SQLAlchemy each time cost more than running it.
_LIVE_VERSION = sa.text(
    """
    SELECT e.status,
           EXISTS (SELECT 1 FROM event_hosts h WHERE h.event_id = e.id AND h.user_id = :user),
           seat.status, seat.checked_in_at,
           current_round.id, current_round.starts_at, current_round.minutes,
           feedback.answers, feedback.last_answer
      FROM events e
      LEFT JOIN registrations seat ON seat.event_id = e.id AND seat.user_id = :user
      LEFT JOIN (
            SELECT r.event_id, count(*) AS answers, max(anyone.responded_at) AS last_answer
              FROM meeting_members mine
              JOIN meeting_members anyone ON anyone.meeting_id = mine.meeting_id
              JOIN rounds r ON r.id = mine.round_id
             WHERE mine.user_id = :user
             GROUP BY r.event_id) feedback ON feedback.event_id = e.id
      LEFT JOIN rounds current_round ON current_round.id = (
            SELECT r.id FROM rounds r
             WHERE r.event_id = e.id AND r.kind = 'live' AND r.status = 'published'
             ORDER BY r.number DESC LIMIT 1)
     WHERE e.id = :event
    """
)


def live_version(event_id: int, user_id: int) -> LiveVersion | None:
    """None when there is no such event."""
    row = db.session.execute(_LIVE_VERSION, {"event": event_id, "user": user_id}).one_or_none()
    if row is None:
        return None
    status, host, seat_status, checked_in_at, round_id, started, minutes, count, last = row
    return LiveVersion(
        event_status=status,
        hosting=bool(host),
        seat_status=seat_status,
        checked_in=checked_in_at is not None,
        round_id=round_id,
        round_started=started,
        round_minutes=minutes,
        feedback=(count, last),
    )
