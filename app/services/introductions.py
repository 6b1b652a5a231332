"""Introductions both people agree to.

The community manager (or a host) proposes two members and says why they should meet, or a
member asks the team for one. Each person answers yes or "not now" from a signed link; only
two yeses reveal contacts. A "not now" is never shown to the other person: for them the
introduction simply stays unanswered. Once both agree, the pair gets a `Meeting` in a round of
its own (kind `introduction`), so "did you meet?", ratings, the dashboard and the engagement
levels treat it like any other meeting.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from app.extensions import db
from app.models import (
    Block,
    Introduction,
    IntroductionAnswer,
    IntroductionStatus,
    LevelSnapshot,
    MailCategory,
    Meeting,
    MeetingMember,
    MetAnswer,
    Round,
    RoundKind,
    RoundStatus,
    User,
)
from app.models.people import REASON_LENGTH
from app.models.types import utcnow
from app.pairing import explain, score_pair
from app.services import errors, meetings
from app.services.links import external_url, read_signed, signed
from app.services.mail import queue_email

RECENT = timedelta(days=90)  # no second introduction of the same pair within this
FOLLOW_UP_AFTER = timedelta(days=10)
UNANSWERED_AFTER = timedelta(days=7)  # a proposed introduction nobody answered: needs attention
ANSWER_SALT = "introduction-answer"
CANDIDATES = 8
OPEN = (IntroductionStatus.REQUESTED, IntroductionStatus.PROPOSED)


# --- checks -----------------------------------------------------------------------------------


def _pair(first_id: int, second_id: int):
    return sa.or_(
        sa.and_(Introduction.first_id == first_id, Introduction.second_id == second_id),
        sa.and_(Introduction.first_id == second_id, Introduction.second_id == first_id),
    )


def check_pair(first_id: int, second_id: int, now: datetime, *, except_id: int | None = None):
    """Refuse an introduction to oneself, across a block, or of a pair introduced lately."""
    if first_id == second_id:
        raise errors.IntroduceToThemselves()
    blocked = db.session.scalar(
        sa.select(sa.func.count()).where(
            sa.or_(
                sa.and_(Block.blocker_id == first_id, Block.blocked_id == second_id),
                sa.and_(Block.blocker_id == second_id, Block.blocked_id == first_id),
            )
        )
    )
    if blocked:
        raise errors.IntroductionBlocked()
    recent = db.session.scalar(
        sa.select(sa.func.count()).where(
            _pair(first_id, second_id),
            Introduction.id != (except_id or -1),
            Introduction.status != IntroductionStatus.DISMISSED,
            sa.or_(Introduction.status.in_(OPEN), Introduction.created_at >= now - RECENT),
        )
    )
    if recent:
        raise errors.AlreadyIntroduced()


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise errors.IntroductionNeedsReason()
    if len(reason) > REASON_LENGTH:
        raise errors.ReasonTooLong(length=REASON_LENGTH)
    return reason


def _member(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise errors.MemberGone()
    return user


# --- making one -------------------------------------------------------------------------------


def request_introduction(requester: User, wanted_id: int, reason: str, *, now=None) -> Introduction:
    """A member asks the team to introduce them to someone; it lands in the team's queue."""
    now = now or utcnow()
    reason = _clean_reason(reason)
    _member(wanted_id)
    check_pair(requester.id, wanted_id, now)
    introduction = Introduction(
        first_id=requester.id,
        second_id=wanted_id,
        requested=True,
        reason=reason,
        status=IntroductionStatus.REQUESTED,
        created_at=now,
    )
    db.session.add(introduction)
    return introduction


def introduce(
    first_id: int,
    second_id: int,
    reason: str,
    *,
    by: User,
    request: Introduction | None = None,
    now: datetime | None = None,
) -> Introduction:
    """Send an introduction to both people; or send a member's request on, in which case the
    member who asked has said yes already."""
    now = now or utcnow()
    reason = _clean_reason(reason)
    first, second = _member(first_id), _member(second_id)
    check_pair(first.id, second.id, now, except_id=request.id if request else None)
    introduction = request or Introduction(first_id=first.id, second_id=second.id, created_at=now)
    if request is not None and request.status != IntroductionStatus.REQUESTED:
        raise errors.IntroductionClosed()
    introduction.first_id, introduction.second_id = first.id, second.id
    introduction.reason = reason
    introduction.introduced_by_id = by.id
    introduction.status = IntroductionStatus.PROPOSED
    introduction.sent_at = now
    introduction.first_answer = (
        IntroductionAnswer.YES if introduction.requested else IntroductionAnswer.WAITING
    )
    introduction.second_answer = IntroductionAnswer.WAITING
    db.session.add(introduction)
    db.session.flush()
    introduction.first, introduction.second = first, second
    for user, other in ((first, second), (second, first)):
        if introduction.answer_of(user.id) == IntroductionAnswer.WAITING:
            _ask(introduction, user, other)
    return introduction


def open_request(request_id: int | None) -> Introduction | None:
    """A member's request still waiting for the team, or None."""
    found = db.session.get(Introduction, request_id) if request_id else None
    return found if found and found.status == IntroductionStatus.REQUESTED else None


def reasons_for_pair(first_id: int, second_id: int, now: datetime) -> list[str]:
    """What the pairing engine sees in these two (ids of `app.i18n.MATCH_REASONS`)."""
    people = meetings.people_of([first_id, second_id], now)
    if len(people) < 2:
        return []
    return meetings.reasons_for((first_id, second_id), people)


def dismiss(introduction: Introduction) -> None:
    """The team sets a member's request aside; the member is not told who said what."""
    if introduction.status != IntroductionStatus.REQUESTED:
        raise errors.IntroductionClosed()
    introduction.status = IntroductionStatus.DISMISSED


# --- answers ----------------------------------------------------------------------------------


def answer_token(introduction_id: int, user_id: int) -> str:
    return signed(ANSWER_SALT, introduction=introduction_id, user=user_id)


def answer_link(introduction_id: int, user_id: int, answer: str | None = None) -> str:
    """The answer page, signed for one person; `answer` is preselected there, to be confirmed
    with a button (mail scanners follow every link)."""
    return external_url(
        "people.answer_introduction",
        introduction_id=introduction_id,
        token=answer_token(introduction_id, user_id),
        answer=answer,
    )


def user_for_token(introduction_id: int, token: str) -> int | None:
    data = read_signed(ANSWER_SALT, token or "")
    if data is None or data.get("introduction") != introduction_id:
        return None
    return data.get("user") if isinstance(data.get("user"), int) else None


def answer(introduction: Introduction, user_id: int, reply: str, *, now=None) -> None:
    """One person's yes or "not now". They may change their mind until both have agreed."""
    now = now or utcnow()
    side = introduction.side_of(user_id)
    if side is None or reply not in (IntroductionAnswer.YES, IntroductionAnswer.NOT_NOW):
        raise errors.DomainError()
    if introduction.status not in (IntroductionStatus.PROPOSED, IntroductionStatus.DECLINED):
        raise errors.IntroductionClosed()
    setattr(introduction, f"{side}_answer", reply)
    answers = {introduction.first_answer, introduction.second_answer}
    if IntroductionAnswer.NOT_NOW in answers:
        introduction.status = IntroductionStatus.DECLINED
    elif answers == {IntroductionAnswer.YES}:
        _connect(introduction, now)
    else:
        introduction.status = IntroductionStatus.PROPOSED


def _connect(introduction: Introduction, now: datetime) -> None:
    """Both said yes: their meeting, each other's contacts, and "did you meet?" in ten days."""
    introduction.status = IntroductionStatus.ACCEPTED
    introduction.accepted_at = now
    round_ = Round(
        kind=RoundKind.INTRODUCTION,
        number=introduction.id,
        status=RoundStatus.PUBLISHED,
        starts_at=now,
    )
    pair = (introduction.first_id, introduction.second_id)
    meeting = Meeting(round=round_, reasons=reasons_for_pair(*pair, now))
    # Saying yes to an introduction is agreeing to exchange contacts.
    meeting.members = [MeetingMember(user_id=uid, round=round_, wants_contact=True) for uid in pair]
    db.session.add(meeting)
    db.session.flush()
    introduction.meeting = meeting
    for user in (introduction.first, introduction.second):
        other = introduction.other_than(user.id)
        context = {
            "user": user,
            "partners": [other],
            "introduction": introduction,
            "question": meetings.first_question(meeting),
            "meeting_link": meetings.feedback_link(meeting.id, user.id),
        }
        queue_email(
            user.email,
            "introduction_accepted",
            locale=user.locale,
            dedupe_key=f"introduction-accepted:{introduction.id}:{user.id}",
            **context,
        )
        meetings.ask_whether_met(
            meeting,
            category=MailCategory.INTRODUCTIONS,
            send_after=now + FOLLOW_UP_AFTER,
            dedupe_key=f"introduction-followup:{introduction.id}:{user.id}",
            **context,
        )


def _ask(introduction: Introduction, user: User, other: User) -> None:
    links = {
        reply: answer_link(introduction.id, user.id, reply)
        for reply in (IntroductionAnswer.YES, IntroductionAnswer.NOT_NOW)
    }
    queue_email(
        user.email,
        "introduction_request",
        locale=user.locale,
        category=MailCategory.INTRODUCTIONS,
        recipient_id=user.id,
        dedupe_key=f"introduction-request:{introduction.id}:{user.id}",
        user=user,
        other=other,
        introduction=introduction,
        links=links,
        page_link=answer_link(introduction.id, user.id),
    )


# --- reading ----------------------------------------------------------------------------------

WITH_PEOPLE = (
    selectinload(Introduction.first).selectinload(User.sector),
    selectinload(Introduction.second).selectinload(User.sector),
    selectinload(Introduction.introduced_by),
    selectinload(Introduction.meeting).selectinload(Meeting.members),
)


@dataclass
class Queue:
    requests: list[Introduction]
    waiting: list[Introduction]
    accepted: list[Introduction]
    declined: list[Introduction]


def queue(limit: int = 50) -> Queue:
    """The team's view: members' requests first, then what is out, agreed and declined."""

    def of(status, order):
        return list(
            db.session.scalars(
                sa.select(Introduction)
                .where(Introduction.status == status)
                .order_by(order, Introduction.id.desc())
                .limit(limit)
                .options(*WITH_PEOPLE)
            )
        )

    return Queue(
        requests=of(IntroductionStatus.REQUESTED, Introduction.created_at),
        waiting=of(IntroductionStatus.PROPOSED, Introduction.sent_at),
        accepted=of(IntroductionStatus.ACCEPTED, Introduction.accepted_at.desc()),
        declined=of(IntroductionStatus.DECLINED, Introduction.sent_at.desc()),
    )


def unanswered(now: datetime) -> list[Introduction]:
    """Requests nobody has handled, and introductions out for a week with an answer missing."""
    query = (
        sa.select(Introduction)
        .where(
            sa.or_(
                Introduction.status == IntroductionStatus.REQUESTED,
                sa.and_(
                    Introduction.status == IntroductionStatus.PROPOSED,
                    Introduction.sent_at < now - UNANSWERED_AFTER,
                ),
            )
        )
        .order_by(Introduction.created_at)
        .options(*WITH_PEOPLE)
    )
    return list(db.session.scalars(query))


def of_member(user_id: int) -> list[Introduction]:
    """A member's own introductions, newest first. Requests the team set aside are left out,
    and what the other person answered is for the template to keep to itself."""
    query = (
        sa.select(Introduction)
        .where(
            sa.or_(Introduction.first_id == user_id, Introduction.second_id == user_id),
            sa.or_(
                Introduction.status != IntroductionStatus.REQUESTED,
                Introduction.first_id == user_id,
            ),
            Introduction.status != IntroductionStatus.DISMISSED,
        )
        .order_by(Introduction.created_at.desc())
        .options(*WITH_PEOPLE)
    )
    return list(db.session.scalars(query))


@dataclass
class MemberView:
    """What one person may know of an introduction: their own answer, and whether it is agreed.
    The other person's "not now" reads as "no answer yet"."""

    introduction: Introduction
    other: User
    mine: str
    agreed: bool
    with_team: bool  # a request the team has not sent on yet

    @property
    def waiting_for_me(self) -> bool:
        return not self.agreed and not self.with_team and self.mine == IntroductionAnswer.WAITING


def view_for(introduction: Introduction, user_id: int) -> MemberView:
    return MemberView(
        introduction=introduction,
        other=introduction.other_than(user_id),
        mine=introduction.answer_of(user_id),
        agreed=introduction.status == IntroductionStatus.ACCEPTED,
        with_team=introduction.status == IntroductionStatus.REQUESTED,
    )


# --- who should they meet? --------------------------------------------------------------------


@dataclass
class Candidate:
    user: User
    score: int
    reasons: list[str]


def _excluded_for(user_id: int, now: datetime) -> set[int]:
    """Who not to suggest: anyone they met, blocked or were blocked by, or were introduced to."""
    me, them = aliased(MeetingMember), aliased(MeetingMember)
    met = sa.select(them.user_id).join(me, me.meeting_id == them.meeting_id)
    met = met.where(me.user_id == user_id)
    blocked = sa.select(Block.blocked_id).where(Block.blocker_id == user_id)
    blocked_by = sa.select(Block.blocker_id).where(Block.blocked_id == user_id)
    introduced = sa.select(
        sa.case(
            (Introduction.first_id == user_id, Introduction.second_id), else_=Introduction.first_id
        )
    ).where(
        sa.or_(Introduction.first_id == user_id, Introduction.second_id == user_id),
        Introduction.status != IntroductionStatus.DISMISSED,
        sa.or_(Introduction.status.in_(OPEN), Introduction.created_at >= now - RECENT),
    )
    excluded = {user_id}
    for query in (met, blocked, blocked_by, introduced):
        excluded.update(db.session.scalars(query))
    return excluded


def candidates_for(user_id: int, *, now: datetime | None = None, limit: int = CANDIDATES):
    """The best people for this member to meet, by the pairing engine's own score: sectors
    that differ, an ask that meets an offer, shared interests, a newcomer with an experienced
    member; never someone they met, blocked, or were introduced to lately, nor, once levels
    are computed, someone dormant for six months."""
    now = now or utcnow()
    excluded = _excluded_for(user_id, now)
    query = sa.select(User.id).where(User.deleted_at.is_(None), User.id.not_in(excluded))
    latest = db.session.scalar(sa.select(sa.func.max(LevelSnapshot.month)))
    if latest is not None:  # once levels are known, suggest people who are around
        dormant = sa.select(LevelSnapshot.user_id).where(
            LevelSnapshot.month == latest, LevelSnapshot.level == "dormant"
        )
        query = query.where(User.id.not_in(dormant))
    people = meetings.people_of(query, now)
    me = meetings.people_of([user_id], now).get(user_id)
    if me is None:
        return []
    scored = []
    for person in people.values():
        score = score_pair(me, person)
        if score:
            scored.append((score, person))
    scored.sort(key=lambda pair: (-pair[0], pair[1].id))
    best = scored[: limit * 3]  # a few more than shown: ties are broken by name below
    users = {user.id: user for user in meetings.users_with_profiles([p.id for _s, p in best])}
    chosen = [
        Candidate(users[person.id], score, explain(me, person))
        for score, person in best
        if person.id in users
    ]
    chosen.sort(key=lambda c: (-c.score, c.user.name_key))
    return chosen[:limit]


# --- figures ----------------------------------------------------------------------------------


@dataclass
class IntroductionFigures:
    made: int = 0  # sent to both people in the period
    accepted: int = 0
    met: int = 0  # accepted, and someone said they met
    with_sectors: int = 0  # made, both people with a known sector
    cross_sector: int = 0

    @property
    def accepted_share(self) -> float | None:
        return self.accepted / self.made if self.made else None

    @property
    def cross_sector_share(self) -> float | None:
        return self.cross_sector / self.with_sectors if self.with_sectors else None


def figures(period) -> IntroductionFigures:
    """Introductions sent in the period: made, accepted, met, and how many crossed sectors."""
    first, second = aliased(User), aliased(User)
    said_met = (
        sa.select(MeetingMember.meeting_id)
        .where(MeetingMember.met == MetAnswer.YES)
        .scalar_subquery()
    )
    row = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.count().filter(Introduction.status == IntroductionStatus.ACCEPTED),
            sa.func.count().filter(Introduction.meeting_id.in_(said_met)),
            sa.func.count().filter(first.sector_id.is_not(None), second.sector_id.is_not(None)),
            sa.func.count().filter(first.sector_id != second.sector_id),
        )
        .join(first, first.id == Introduction.first_id)
        .join(second, second.id == Introduction.second_id)
        .where(Introduction.sent_at.is_not(None), period.contains(Introduction.sent_at))
    ).one()
    return IntroductionFigures(*row)
