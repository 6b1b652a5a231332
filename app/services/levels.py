"""Engagement levels from what people do offline, recomputed daily by the worker.

A member's score is the sum of their activity over the last six months, each act weighted by
its kind and by how recent it is (full weight today, nothing at six months, linearly):

    an event attended (checked in)       3
    a meeting that happened              2   (a live round's, or a coffee someone said they had)
    an event hosted or proposed          4
    a survey answered                    1
    help given                           3   (their offer met their partner's ask, in a
                                              meeting that happened)

Their level, first rule that holds:

    newcomer    joined less than 60 days ago
    drifting    nothing in the last 60 days, but active or core before that
    core        score >= 20
    active      score >= 8
    occasional  score > 0
    dormant     nothing in six months

These are the defaults of `LevelRules`; an admin may change each on /admin/levels (kept in
`settings`, read by `current_rules()`). The whole community is computed from a handful of
queries (no query per member), and kept as one snapshot per member per month.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Event,
    EventStatus,
    LevelSnapshot,
    Meeting,
    MeetingMember,
    MetAnswer,
    Registration,
    Respondent,
    Round,
    RoundKind,
    Setting,
    User,
    event_hosts,
)
from app.models.accounts import NEWCOMER_DAYS, user_asks, user_offers
from app.models.types import utcnow
from app.services import community, errors

ACTS = ("attended", "met", "hosted", "answered", "helped")
DEFAULT_WEIGHTS = {"attended": 3.0, "met": 2.0, "hosted": 4.0, "answered": 1.0, "helped": 3.0}


@dataclass(frozen=True)
class LevelRules:
    window_days: int = 182
    quiet_days: int = 60  # nothing for this long: an active member is drifting
    weights: dict = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    core: float = 20.0
    active: float = 8.0


RULES = LevelRules()
SETTING_PREFIX = "levels."  # settings rows: levels.weight.met, levels.core, levels.quiet_days…


def current_rules() -> LevelRules:
    """The rules as the admin set them, the defaults for the rest: one query."""
    rows = dict(
        db.session.execute(
            sa.select(Setting.key, Setting.value).where(Setting.key.startswith(SETTING_PREFIX))
        ).all()
    )

    def number(key: str, default: float) -> float:
        try:
            return float(rows[SETTING_PREFIX + key])
        except (KeyError, ValueError):
            return default

    return LevelRules(
        quiet_days=int(number("quiet_days", RULES.quiet_days)),
        weights={act: number(f"weight.{act}", RULES.weights[act]) for act in ACTS},
        core=number("core", RULES.core),
        active=number("active", RULES.active),
    )


def save_rules(weights: dict[str, float], *, core: float, active: float, quiet_days: int):
    """Keep the admin's rules; they take effect at the next daily computation."""
    if not 0 < active < core:
        raise errors.LevelThresholds()
    if not 14 <= quiet_days < RULES.window_days:
        raise errors.QuietDays(longest=RULES.window_days - 1)
    if any(not 0 <= weight <= 100 for weight in weights.values()):
        raise errors.LevelWeight()
    values = {f"weight.{act}": weights[act] for act in ACTS}
    values |= {"core": core, "active": active, "quiet_days": quiet_days}
    community.store_settings({SETTING_PREFIX + key: f"{value:g}" for key, value in values.items()})


def acts(since: datetime, user_id: int | None = None) -> list[tuple[int, str, datetime]]:
    """(user, kind, when) of every act since a moment, everyone's or one member's, from a
    handful of small queries."""
    giver, receiver = sa.orm.aliased(MeetingMember), sa.orm.aliased(MeetingMember)
    said_yes = (
        sa.select(MeetingMember.meeting_id)
        .where(MeetingMember.met == MetAnswer.YES)
        .scalar_subquery()
    )
    kinds = (
        (
            "attended",
            Registration.user_id,
            sa.select(Registration.user_id, Registration.checked_in_at).where(
                Registration.checked_in_at >= since
            ),
        ),
        (
            "met",
            MeetingMember.user_id,
            sa.select(MeetingMember.user_id, Round.starts_at)
            .join(Round, Round.id == MeetingMember.round_id)
            .join(Meeting, Meeting.id == MeetingMember.meeting_id)
            .where(
                Round.starts_at >= since,
                Round.status != "draft",
                sa.or_(Round.kind == RoundKind.LIVE, Meeting.id.in_(said_yes)),
            ),
        ),
        (
            "hosted",
            event_hosts.c.user_id,
            sa.select(event_hosts.c.user_id, Event.starts_at)
            .join(Event, Event.id == event_hosts.c.event_id)
            .where(Event.status == EventStatus.PUBLISHED, Event.starts_at >= since),
        ),
        (
            "hosted",
            Event.proposed_by_id,
            sa.select(Event.proposed_by_id, Event.created_at).where(
                Event.proposed_by_id.is_not(None), Event.created_at >= since
            ),
        ),
        (
            "helped",
            giver.user_id,
            sa.select(giver.user_id, Round.starts_at)
            .join(
                receiver,
                sa.and_(receiver.meeting_id == giver.meeting_id, receiver.user_id != giver.user_id),
            )
            .join(Round, Round.id == giver.round_id)
            .join(Meeting, Meeting.id == giver.meeting_id)
            .where(
                Round.starts_at >= since,
                Round.status != "draft",
                sa.or_(Round.kind == RoundKind.LIVE, Meeting.id.in_(said_yes)),
                sa.exists().where(
                    user_offers.c.user_id == giver.user_id,
                    user_asks.c.user_id == receiver.user_id,
                    user_asks.c.tag_id == user_offers.c.tag_id,
                ),
            )
            .distinct(),
        ),
        (
            "answered",
            Respondent.user_id,
            sa.select(Respondent.user_id, Respondent.answered_at).where(
                Respondent.answered.is_(True), Respondent.answered_at >= since
            ),
        ),
    )
    acts = []
    for kind, who, query in kinds:
        if user_id is not None:
            query = query.where(who == user_id)
        acts += [(person, kind, when) for person, when in db.session.execute(query) if when]
    return acts


def activity_of(user_id: int, now: datetime | None = None, rules: LevelRules = RULES):
    """What a member did in the scoring window, by kind: theirs to see, without a label."""
    now = now or utcnow()
    counts = dict.fromkeys(rules.weights, 0)
    for _user, kind, _when in acts(now - timedelta(days=rules.window_days), user_id):
        counts[kind] += 1
    return counts


@dataclass
class Standing:
    score: float = 0.0
    recent: bool = False  # anything in the last `quiet_days`
    earlier: float = 0.0  # what came before that, at full weight: were they active then?


def level_of(standing: Standing, joined: datetime, now: datetime, rules=RULES) -> str:
    if joined > now - timedelta(days=NEWCOMER_DAYS):
        return "newcomer"
    if not standing.recent and standing.earlier >= rules.active:
        return "drifting"
    if standing.score >= rules.core:
        return "core"
    if standing.score >= rules.active:
        return "active"
    return "occasional" if standing.score > 0 else "dormant"


def compute(now: datetime | None = None, rules: LevelRules = RULES) -> dict[int, tuple[str, float]]:
    """Every active member's (level, score), by user id."""
    now = now or utcnow()
    since = now - timedelta(days=rules.window_days)
    quiet_since = now - timedelta(days=rules.quiet_days)
    standings: dict[int, Standing] = defaultdict(Standing)
    for user_id, kind, when in acts(since):
        age = max((now - when).total_seconds() / 86400, 0.0)
        points = rules.weights[kind] * max(0.0, 1 - age / rules.window_days)
        standing = standings[user_id]
        standing.score += points
        if when >= quiet_since:
            standing.recent = True
        else:  # whether they were active then: what they did, at its weight then
            standing.earlier += rules.weights[kind]
    members = db.session.execute(
        sa.select(User.id, User.created_at).where(User.deleted_at.is_(None))
    )
    return {
        user_id: (level_of(standings.get(user_id, Standing()), joined, now, rules),
                  round(standings[user_id].score, 2) if user_id in standings else 0.0)
        for user_id, joined in members
    }  # fmt: skip


def _month(now: datetime) -> date:
    return now.date().replace(day=1)


def snapshot(now: datetime | None = None) -> int:
    """The worker's daily duty: this month's snapshot of everyone, replaced whole."""
    now = now or utcnow()
    month = _month(now)
    levels = compute(now, current_rules())
    db.session.execute(sa.delete(LevelSnapshot).where(LevelSnapshot.month == month))
    if levels:
        db.session.execute(
            sa.insert(LevelSnapshot),
            [
                {"user_id": user_id, "month": month, "level": level, "score": score,
                 "computed_at": now}
                for user_id, (level, score) in levels.items()
            ],
        )  # fmt: skip
    return len(levels)


def is_due(now: datetime) -> bool:
    """Once a day: when today's snapshot is not there yet."""
    latest = db.session.scalar(sa.select(sa.func.max(LevelSnapshot.computed_at)))
    return latest is None or latest.date() < now.date()


def level_of_member(user_id: int) -> LevelSnapshot | None:
    return db.session.scalar(
        sa.select(LevelSnapshot)
        .where(LevelSnapshot.user_id == user_id)
        .order_by(LevelSnapshot.month.desc())
        .limit(1)
    )


@dataclass
class Movement:
    counts: dict[str, int]
    moved_up: int
    started_drifting: int

    @property
    def newcomers_per_core(self) -> float | None:
        core = self.counts.get("core", 0)
        return self.counts.get("newcomer", 0) / core if core else None


RANK = {"dormant": 0, "drifting": 1, "newcomer": 1, "occasional": 2, "active": 3, "core": 4}


def movement(now: datetime | None = None) -> Movement:
    """This month against the last: how many at each level, who moved up, who began to drift."""
    now = now or utcnow()
    month = _month(now)
    previous = (month - timedelta(days=1)).replace(day=1)
    rows = db.session.execute(
        sa.select(LevelSnapshot.user_id, LevelSnapshot.month, LevelSnapshot.level).where(
            LevelSnapshot.month.in_([month, previous])
        )
    )
    now_level, before = {}, {}
    for user_id, when, level in rows:
        (now_level if when == month else before)[user_id] = level
    counts = defaultdict(int)
    for level in now_level.values():
        counts[level] += 1
    moved_up = sum(
        1
        for user_id, level in now_level.items()
        if user_id in before and RANK[level] > RANK[before[user_id]]
    )
    drifting = sum(
        1
        for user_id, level in now_level.items()
        if level == "drifting" and before.get(user_id) != "drifting"
    )
    return Movement(counts=dict(counts), moved_up=moved_up, started_drifting=drifting)
