"""Community random coffee: subscriptions, rounds that run themselves, follow-ups."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    CoffeeFormat,
    CoffeeFrequency,
    CoffeeSubscription,
    MailCategory,
    Meeting,
    MeetingMember,
    MetAnswer,
    Round,
    RoundKind,
    RoundStatus,
    Setting,
    User,
)
from app.models.types import utcnow
from app.pairing import match
from app.services import meetings
from app.services.links import external_url
from app.services.mail import queue_email

FOLLOW_UP_AFTER = timedelta(days=5)
IGNORED_ROUNDS_BEFORE_PAUSE = 3
INTERVAL = {
    CoffeeFrequency.WEEKLY: timedelta(days=6),  # a day of slack for a weekly rhythm
    CoffeeFrequency.BIWEEKLY: timedelta(days=13),
    CoffeeFrequency.MONTHLY: timedelta(days=27),
}
WEEKDAY_KEY = "coffee_weekday"


# --- settings -------------------------------------------------------------------------------


def coffee_weekday() -> int:
    """0 = Monday. The admin chooses; Monday until they do."""
    setting = db.session.get(Setting, WEEKDAY_KEY)
    return int(setting.value) if setting else 0


def set_coffee_weekday(weekday: int) -> None:
    setting = db.session.get(Setting, WEEKDAY_KEY) or Setting(key=WEEKDAY_KEY)
    setting.value = str(weekday % 7)
    db.session.add(setting)


def subscription_of(user: User) -> CoffeeSubscription | None:
    return db.session.get(CoffeeSubscription, user.id)


def subscribe(
    user: User,
    *,
    frequency: str,
    format: str,
    paused_until: date | None,
    share_contact: bool = False,
) -> CoffeeSubscription:
    subscription = subscription_of(user) or CoffeeSubscription(user_id=user.id)
    subscription.active = True
    subscription.frequency = frequency
    subscription.format = format
    subscription.share_contact = share_contact
    subscription.paused_until = paused_until
    subscription.ignored_in_a_row = 0
    db.session.add(subscription)
    return subscription


def leave(user: User) -> None:
    subscription = subscription_of(user)
    if subscription is not None:
        subscription.active = False


# --- rounds ---------------------------------------------------------------------------------


def due_subscribers(now: datetime) -> list[CoffeeSubscription]:
    today = now.date()
    query = (
        sa.select(CoffeeSubscription)
        .join(User, User.id == CoffeeSubscription.user_id)
        .where(
            CoffeeSubscription.active.is_(True),
            User.deleted_at.is_(None),
            User.email_confirmed_at.is_not(None),  # an unconfirmed address is matched with nobody
            sa.or_(
                CoffeeSubscription.paused_until.is_(None),
                CoffeeSubscription.paused_until < today,
            ),
        )
        .options(selectinload(CoffeeSubscription.user))
    )
    return [
        s
        for s in db.session.scalars(query)
        if s.last_round_at is None or now - s.last_round_at >= INTERVAL[s.frequency]
    ]


def _incompatible(subscriptions: dict[int, CoffeeSubscription]) -> list[tuple[int, int]]:
    """Online-only and in-person-only people cannot meet; in person means the same city."""
    pairs = []
    items = sorted(subscriptions.items())
    for index, (a, sa_) in enumerate(items):
        for b, sb in items[index + 1 :]:
            formats = {sa_.format, sb.format}
            if formats == {CoffeeFormat.ONLINE, CoffeeFormat.IN_PERSON} or (
                sa_.format == sb.format == CoffeeFormat.IN_PERSON
                and (sa_.user.city or "").casefold() != (sb.user.city or "").casefold()
            ):
                pairs.append((a, b))
    return pairs


def _meets_in_person(members: list[CoffeeSubscription]) -> bool:
    cities = {(s.user.city or "").casefold() for s in members}
    return (
        all(s.format != CoffeeFormat.ONLINE for s in members)
        and len(cities) == 1
        and "" not in cities
    )


@dataclass
class CoffeeRoundReport:
    round: Round | None
    groups: int = 0
    paused: int = 0


def close_last_round() -> int:
    """Close the last coffee round. Members who have now left IGNORED_ROUNDS_BEFORE_PAUSE
    follow-ups in a row unanswered are paused and told; returns how many."""
    last_round = db.session.scalar(
        sa.select(Round)
        .where(Round.kind == RoundKind.COFFEE, Round.status != RoundStatus.DRAFT)
        .order_by(Round.number.desc())
        .limit(1)
    )
    if last_round is None:
        return 0
    paused = _pause_the_silent(last_round)
    last_round.status = RoundStatus.CLOSED
    return paused


def _pause_the_silent(last_round: Round) -> int:
    rows = db.session.execute(
        sa.select(MeetingMember.responded_at, CoffeeSubscription)
        .join(CoffeeSubscription, CoffeeSubscription.user_id == MeetingMember.user_id)
        .where(MeetingMember.round_id == last_round.id, CoffeeSubscription.active.is_(True))
        .options(selectinload(CoffeeSubscription.user))
    ).all()
    paused = 0
    for responded_at, subscription in rows:
        subscription.ignored_in_a_row = 0 if responded_at else subscription.ignored_in_a_row + 1
        if subscription.ignored_in_a_row < IGNORED_ROUNDS_BEFORE_PAUSE:
            continue
        subscription.active = False
        paused += 1
        user = subscription.user
        if user.email:
            queue_email(
                user.email,
                "coffee_paused",
                locale=user.locale,
                user=user,
                rounds=IGNORED_ROUNDS_BEFORE_PAUSE,
                coffee_url=external_url("coffee.coffee_page"),
                dedupe_key=f"coffee-paused:{user.id}:{last_round.id}",
            )
    return paused


def run_coffee_round(now: datetime | None = None) -> CoffeeRoundReport:
    """Pair everyone due, write the meetings and the introductions, schedule the follow-ups."""
    now = now or utcnow()
    paused = close_last_round()
    subscriptions = {s.user_id: s for s in due_subscribers(now)}
    if len(subscriptions) < 2:
        return CoffeeRoundReport(None, paused=paused)
    number = (
        db.session.scalar(
            sa.select(sa.func.max(Round.number)).where(Round.kind == RoundKind.COFFEE)
        )
        or 0
    ) + 1
    round_ = Round(
        kind=RoundKind.COFFEE,
        number=number,
        status=RoundStatus.PUBLISHED,
        starts_at=now,
        minutes=30,
        seed=number * 7919,
    )
    db.session.add(round_)
    ids = list(subscriptions)
    users = {u.id: u for u in meetings.users_with_profiles(ids)}
    people = {uid: meetings.person_of(users[uid], now) for uid in users}
    history = meetings.past_meetings(ids, now=now)
    matching = match(
        list(people.values()),
        met=history,
        blocked=[*meetings.blocked_pairs(ids), *_incompatible(subscriptions)],
        seed=round_.seed,
    )
    created = []
    for group in matching.groups:
        if len(group) < 2:
            continue
        members = [subscriptions[uid] for uid in group]
        in_person = _meets_in_person(members)
        [meeting] = meetings.add_meetings(
            round_, [group], people, tables=False, online=not in_person
        )
        created.append(meeting)
    db.session.flush()
    sharing = {uid for uid, s in subscriptions.items() if s.share_contact}
    for meeting in created:
        _introduce(meeting, users, sharing, now)
    for uid in ids:
        subscriptions[uid].last_round_at = now
    round_.stats = _round_stats(created, people, matching)
    met_before = {tuple(sorted((a, b))) for a, b, _ in history}
    round_.stats["repeats"] = sum(
        1
        for meeting in created
        for i, a in enumerate(meeting.members)
        for b in meeting.members[i + 1 :]
        if tuple(sorted((a.user_id, b.user_id))) in met_before
    )
    return CoffeeRoundReport(round_, groups=len(created), paused=paused)


def _round_stats(created: list[Meeting], people, matching) -> dict:
    cross = sum(
        1
        for meeting in created
        if len({people[m.user_id].sector for m in meeting.members if people[m.user_id].sector}) > 1
    )
    alone = [g[0] for g in matching.groups if len(g) == 1]
    return {
        "opted_in": sum(len(g) for g in matching.groups),
        "matched": sum(len(m.members) for m in created),
        "meetings": len(created),
        "cross_sector": cross,
        "alone": alone,
        "score": matching.score,
    }


def _introduce(meeting: Meeting, users: dict[int, User], sharing: set[int], now: datetime) -> None:
    """The introduction now, and "did you meet?" in five days, to each member.

    A partner's email and contact are in it only if that partner agreed (`sharing`);
    otherwise the meeting page lets the two exchange contacts when both say yes."""
    question = meetings.first_question(meeting)
    for member in meeting.members:
        user = users[member.user_id]
        if not user.email:
            continue
        partners = [users[m.user_id] for m in meeting.members if m.user_id != user.id]
        common = {
            "user": user,
            "partners": partners,
            "shared": {p.id for p in partners if p.id in sharing},
            "meeting_link": meetings.feedback_link(meeting.id, user.id),
            "meeting": meeting,
            "reasons": meeting.reasons,
            "question": question,
            "coffee_url": external_url("coffee.coffee_page"),
        }
        queue_email(
            user.email,
            "coffee_intro",
            locale=user.locale,
            category=MailCategory.COFFEE,
            recipient_id=user.id,
            dedupe_key=f"coffee-intro:{meeting.id}:{user.id}",
            **common,
        )
        meetings.ask_whether_met(
            meeting,
            category=MailCategory.COFFEE,
            send_after=now + FOLLOW_UP_AFTER,
            dedupe_key=f"coffee-followup:{meeting.id}:{user.id}",
            **common,
        )


def my_coffee_meetings(user_id: int, limit: int = 20) -> list[MeetingMember]:
    query = (
        sa.select(MeetingMember)
        .join(Round, Round.id == MeetingMember.round_id)
        .where(MeetingMember.user_id == user_id, Round.kind == RoundKind.COFFEE)
        .order_by(Round.number.desc())
        .limit(limit)
        .options(*meetings.WITH_PARTNERS)
    )
    return list(db.session.scalars(query))


def coffee_rounds_summary() -> list[dict]:
    """Per round: opted in, matched, met rate, cross-sector share, repeats, average rating."""
    rounds = db.session.scalars(
        sa.select(Round).where(Round.kind == RoundKind.COFFEE).order_by(Round.number.desc())
    ).all()
    answers = {
        round_id: (answered, met, rating)
        for round_id, answered, met, rating in db.session.execute(
            sa.select(
                MeetingMember.round_id,
                sa.func.count(MeetingMember.met),
                sa.func.count().filter(MeetingMember.met == MetAnswer.YES),
                sa.func.avg(MeetingMember.rating),
            ).group_by(MeetingMember.round_id)
        )
    }
    summary = []
    for round_ in rounds:
        answered, met, rating = answers.get(round_.id, (0, 0, None))
        stats = round_.stats or {}
        meetings_count = stats.get("meetings", 0)
        summary.append(
            {
                "round": round_,
                "opted_in": stats.get("opted_in", 0),
                "matched": stats.get("matched", 0),
                "met_rate": met / answered if answered else None,
                "cross_sector": stats.get("cross_sector", 0) / meetings_count
                if meetings_count
                else None,
                "repeats": stats.get("repeats", 0),
                "rating": float(rating) if rating is not None else None,
            }
        )
    return summary


def is_due(now: datetime) -> bool:
    """Is today the coffee day, with no coffee round run yet today?"""
    if now.date().weekday() != coffee_weekday():
        return False
    start_of_day = datetime.combine(now.date(), datetime.min.time(), tzinfo=now.tzinfo)
    already = db.session.scalar(
        sa.select(sa.func.count()).where(
            Round.kind == RoundKind.COFFEE, Round.starts_at >= start_of_day
        )
    )
    return not already
