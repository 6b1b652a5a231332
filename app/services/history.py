"""A member's history, for the hosts who look after the community: the events they signed up
for and came to, and who they met in the rounds and how they rated it."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Event, MeetingMember, Registration, RegistrationStatus, Round, RoundStatus
from app.services import meetings

SHOWN = 25


@dataclass
class MemberHistory:
    registrations: list[Registration]  # the latest first, each with its event
    no_show_ids: set[int]  # of those registrations, the ones counted in no_shows
    meetings: list[MeetingMember]  # the latest first, with the round, its event and partners
    attended: int
    no_shows: int
    meetings_held: int
    average_rating: float | None  # of the ratings this member gave

    def partners(self, member: MeetingMember) -> list:
        return [m.user for m in member.meeting.members if m.user_id != member.user_id]


def _no_show(now) -> sa.ColumnElement[bool]:
    """A confirmed seat not checked in at an event that has ended. As on the dashboard, only
    where the door used check-in: at an online event nobody checks in, and nobody is absent."""
    others = sa.orm.aliased(Registration)
    door_used_check_in = (
        sa.select(others.id)
        .where(others.event_id == Event.id, others.checked_in_at.is_not(None))
        .exists()
    )
    return sa.and_(
        Registration.status == RegistrationStatus.CONFIRMED,
        Registration.checked_in_at.is_(None),
        Event.ends_at < now,
        door_used_check_in,
    )


def member_history(user_id: int, now) -> MemberHistory:
    no_show = _no_show(now)
    rows = db.session.execute(
        sa.select(Registration, sa.case((no_show, True), else_=False))
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user_id)
        .order_by(Event.starts_at.desc())
        .limit(SHOWN)
        .options(selectinload(Registration.event))
    ).all()
    held = sa.and_(
        MeetingMember.user_id == user_id,
        Round.status.in_([RoundStatus.PUBLISHED, RoundStatus.CLOSED]),
    )
    meeting_rows = db.session.scalars(
        sa.select(MeetingMember)
        .join(Round, Round.id == MeetingMember.round_id)
        .where(held)
        .order_by(Round.starts_at.desc(), Round.id.desc())
        .limit(SHOWN)
        .options(
            *meetings.WITH_PARTNERS, selectinload(MeetingMember.round).selectinload(Round.event)
        )
    ).all()
    attended, no_shows = db.session.execute(
        sa.select(
            sa.func.count().filter(Registration.checked_in_at.is_not(None)),
            sa.func.count().filter(no_show),
        )
        .join(Event, Event.id == Registration.event_id)
        .where(Registration.user_id == user_id, Registration.status == RegistrationStatus.CONFIRMED)
    ).one()
    meetings_held, average = db.session.execute(
        sa.select(sa.func.count(), sa.func.avg(MeetingMember.rating))
        .join(Round, Round.id == MeetingMember.round_id)
        .where(held)
    ).one()
    return MemberHistory(
        registrations=[registration for registration, _ in rows],
        no_show_ids={registration.id for registration, absent in rows if absent},
        meetings=list(meeting_rows),
        attended=attended,
        no_shows=no_shows,
        meetings_held=meetings_held,
        average_rating=float(average) if average is not None else None,
    )
