"""Members: how many, who joined, who was active; and whether newcomers came soon."""

from dataclasses import dataclass

import sqlalchemy as sa

from app.extensions import db
from app.models import MeetingMember, Registration, Respondent, Round, RoundStatus, User
from app.services.analytics.meetings import declined
from app.services.analytics.period import Period, share
from app.services.sql_time import plus_days

NEWCOMER_WINDOW_DAYS = 30


@dataclass
class MemberBucket:
    start: str
    joined: int
    active: int
    members: int  # at the end of the bucket

    @property
    def active_share(self) -> float | None:
        return share(self.active, self.members)


@dataclass
class MemberFigures:
    total: int
    joined: int
    active: int
    previous_active: int
    previous_total: int
    buckets: list[MemberBucket]

    @property
    def active_share(self) -> float | None:
        return share(self.active, self.total)

    @property
    def previous_active_share(self) -> float | None:
        return share(self.previous_active, self.previous_total)

    @property
    def joined_columns(self) -> list[tuple[str, tuple[int]]]:
        return [(b.start, (b.joined,)) for b in self.buckets]

    @property
    def active_columns(self) -> list[tuple[str, tuple[float]]]:
        return [(b.start, (b.active_share or 0,)) for b in self.buckets]

    @property
    def trend(self) -> float | None:
        """Change of the active share against the period before, in percentage points."""
        if self.active_share is None or self.previous_active_share is None:
            return None
        return 100 * (self.active_share - self.previous_active_share)


def _activity(span: Period):
    """(user_id, at) for everything that made a member active within the span. The span is
    tested in each branch, where the indexes are, not after the union."""
    registered = sa.select(Registration.user_id, Registration.created_at.label("at")).where(
        span.contains(Registration.created_at)
    )
    came = sa.select(Registration.user_id, Registration.checked_in_at).where(
        span.contains(Registration.checked_in_at)
    )
    met = (
        sa.select(MeetingMember.user_id, Round.starts_at)
        .join(Round, Round.id == MeetingMember.round_id)
        .where(Round.status != RoundStatus.DRAFT, span.contains(Round.starts_at), ~declined())
    )
    answered = sa.select(Respondent.user_id, Respondent.answered_at).where(
        span.contains(Respondent.answered_at)
    )
    activity = sa.union_all(registered, came, met, answered).subquery("activity")
    deleted = sa.select(User.id).where(User.deleted_at.is_not(None))
    return (
        sa.select(activity.c.user_id, activity.c.at)
        .where(activity.c.user_id.not_in(deleted))
        .subquery("active")
    )


def member_figures(period: Period) -> MemberFigures:
    previous = period.previous
    current = User.deleted_at.is_(None)
    total, before = db.session.execute(
        sa.select(
            sa.func.count().filter(User.created_at < period.end),
            sa.func.count().filter(User.created_at < period.start),
        ).where(current)
    ).one()
    joined = dict(
        db.session.execute(
            sa.select(period.bucket(User.created_at), sa.func.count())
            .where(current, period.contains(User.created_at))
            .group_by(period.bucket(User.created_at))
        ).all()
    )

    # One pass over the activity of both periods: first who was active in which bucket
    # ("before" for the previous period), then the counts from those pairs.
    activity = _activity(Period(previous.start, period.end))
    bucket = sa.case(
        (activity.c.at >= period.start, period.bucket(activity.c.at)), else_=sa.literal("before")
    ).label("bucket")
    pairs = sa.select(activity.c.user_id, bucket).distinct().cte("pairs")
    current_pairs = pairs.c.bucket != "before"
    rows = db.session.execute(
        sa.union_all(
            sa.select(pairs.c.bucket, sa.func.count())
            .where(current_pairs)
            .group_by(pairs.c.bucket),
            sa.select(sa.literal("period"), sa.func.count(sa.distinct(pairs.c.user_id))).where(
                current_pairs
            ),
            sa.select(sa.literal("previous"), sa.func.count(sa.distinct(pairs.c.user_id))).where(
                ~current_pairs
            ),
        )
    ).all()
    active_by_bucket = dict(rows)
    active, previous_active = active_by_bucket.pop("period"), active_by_bucket.pop("previous")

    buckets, members = [], before
    for key in period.buckets():
        members += joined.get(key, 0)
        buckets.append(MemberBucket(key, joined.get(key, 0), active_by_bucket.get(key, 0), members))
    return MemberFigures(
        total=total,
        joined=sum(joined.values()),
        active=active,
        previous_active=previous_active,
        previous_total=before,
        buckets=buckets,
    )


@dataclass
class NewcomerFigures:
    buckets: list[tuple[str, int, int]]  # (start, joined, engaged within 30 days)

    @property
    def joined(self) -> int:
        return sum(joined for _, joined, _ in self.buckets)

    @property
    def engaged(self) -> int:
        return sum(engaged for _, _, engaged in self.buckets)

    @property
    def share(self) -> float | None:
        return share(self.engaged, self.joined)

    @property
    def columns(self) -> list[tuple[str, tuple[int, int]]]:
        """Per bucket: those who came or met soon, then the rest of who joined."""
        return [(start, (engaged, joined - engaged)) for start, joined, engaged in self.buckets]


def _within_window(since, moment) -> sa.ColumnElement[bool]:
    return sa.and_(moment >= since, moment <= plus_days(since, NEWCOMER_WINDOW_DAYS))


def newcomer_figures(period: Period) -> NewcomerFigures:
    joined = sa.and_(User.deleted_at.is_(None), period.contains(User.created_at))
    came = (
        sa.select(Registration.user_id)
        .join(User, User.id == Registration.user_id)
        .where(joined, _within_window(User.created_at, Registration.checked_in_at))
    )
    met = (
        sa.select(MeetingMember.user_id)
        .join(Round, Round.id == MeetingMember.round_id)
        .join(User, User.id == MeetingMember.user_id)
        .where(
            joined,
            Round.status != RoundStatus.DRAFT,
            ~declined(),
            _within_window(User.created_at, Round.starts_at),
        )
    )
    # Joins rather than a subquery per newcomer: the database hashes them in one pass.
    engaged = sa.union(came, met).subquery("engaged")
    bucket = period.bucket(User.created_at)
    rows = db.session.execute(
        sa.select(bucket, sa.func.count(User.id), sa.func.count(engaged.c.user_id))
        .outerjoin(engaged, engaged.c.user_id == User.id)
        .where(joined)
        .group_by(bucket)
    )
    found = {key: (count, engaged) for key, count, engaged in rows}
    return NewcomerFigures([(key, *found.get(key, (0, 0))) for key in period.buckets()])
