"""What the community manager reads on the dashboard: every figure an SQL aggregate over a
period, so the number of queries stays the same however large the community grows.

Definitions (the dashboard prints them too):
- active: registered, was checked in, was in a meeting they did not decline, or answered a
  survey, in the period; the share is of the members who had joined by its end;
- attendance: checked in ÷ confirmed, over events that have ended and used check-in
  (an online event nobody checked in to would read as all no-shows);
- a meeting was met when someone in it said so, out of meetings where someone answered;
- cross-sector: a meeting of people from two or more sectors, out of meetings where at least
  two people have a sector;
- newcomers: members who joined in the period, and of them those who were checked in at an
  event or had a meeting within 30 days of joining.
Weeks and months are counted in UTC.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import (
    Answer,
    Event,
    EventStatus,
    Meeting,
    MeetingMember,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Respondent,
    Round,
    RoundStatus,
    Sector,
    Survey,
    User,
)
from app.services.sql_time import month_start, plus_days, week_start

NEWCOMER_WINDOW_DAYS = 30
WEEKLY_UP_TO = timedelta(days=92)  # longer periods are drawn month by month


@dataclass(frozen=True)
class Period:
    """[start, end) in UTC."""

    start: datetime
    end: datetime

    @classmethod
    def last(cls, days: int, now: datetime) -> "Period":
        return cls(now - timedelta(days=days), now)

    @property
    def previous(self) -> "Period":
        return Period(self.start - (self.end - self.start), self.start)

    @property
    def weekly(self) -> bool:
        return self.end - self.start <= WEEKLY_UP_TO

    def contains(self, column) -> sa.ColumnElement[bool]:
        return sa.and_(column >= self.start, column < self.end)

    def bucket(self, column) -> sa.ColumnElement[str]:
        """The week or month a stored time falls in, as 'YYYY-MM-DD' (SQL)."""
        return week_start(column) if self.weekly else month_start(column)

    def bucket_of(self, moment: datetime) -> str:
        """The same, for a time in Python."""
        day = moment.astimezone(UTC).date()
        first = day - timedelta(days=day.weekday()) if self.weekly else day.replace(day=1)
        return first.isoformat()

    @property
    def last_moment(self) -> datetime:
        return self.end - timedelta(microseconds=1)

    def fraction(self, moment: datetime) -> float:
        """Where a moment lies in the period, from 0 at its start to 1 at its end."""
        return (moment - self.start) / (self.end - self.start)

    def buckets(self) -> list[str]:
        """Every week or month the period touches, in order."""
        keys, moment = [], self.start
        while moment < self.end:
            key = self.bucket_of(moment)
            if not keys or keys[-1] != key:
                keys.append(key)
            moment += timedelta(days=1)
        return keys


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _declined() -> sa.ColumnElement[bool]:
    return MeetingMember.met.is_not_distinct_from("no")


def _held_rounds(period: Period) -> sa.ColumnElement[bool]:
    return sa.and_(
        Round.status.in_([RoundStatus.PUBLISHED, RoundStatus.CLOSED]),
        period.contains(Round.starts_at),
    )


# --- members --------------------------------------------------------------------------------


@dataclass
class MemberBucket:
    start: str
    joined: int
    active: int
    members: int  # at the end of the bucket

    @property
    def active_share(self) -> float | None:
        return _share(self.active, self.members)


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
        return _share(self.active, self.total)

    @property
    def previous_active_share(self) -> float | None:
        return _share(self.previous_active, self.previous_total)

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
        .where(Round.status != RoundStatus.DRAFT, span.contains(Round.starts_at), ~_declined())
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


# --- events ---------------------------------------------------------------------------------


@dataclass
class EventRow:
    id: int
    title: str
    starts_at: datetime
    ended: bool
    capacity: int | None
    registrations: int
    confirmed: int
    checked_in: int
    waitlisted: int

    @property
    def counts_for_attendance(self) -> bool:
        return self.ended and self.checked_in > 0

    @property
    def attendance_rate(self) -> float | None:
        return _share(self.checked_in, self.confirmed) if self.counts_for_attendance else None


@dataclass
class EventFigures:
    rows: list[EventRow]
    buckets: list[tuple[str, int]]
    attendees: int  # distinct people checked in
    repeat_attendees: int  # of them, checked in at two events or more

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def columns(self) -> list[tuple[str, tuple[int]]]:
        return [(start, (count,)) for start, count in self.buckets]

    @property
    def registrations(self) -> int:
        return sum(row.registrations for row in self.rows)

    def _attended(self) -> tuple[int, int]:
        counted = [row for row in self.rows if row.counts_for_attendance]
        return sum(r.checked_in for r in counted), sum(r.confirmed for r in counted)

    @property
    def attendance_rate(self) -> float | None:
        return _share(*self._attended())

    @property
    def no_show_rate(self) -> float | None:
        checked_in, confirmed = self._attended()
        return _share(confirmed - checked_in, confirmed)

    @property
    def seats(self) -> int:
        return sum(row.capacity or 0 for row in self.rows)

    @property
    def waitlisted(self) -> int:
        return sum(row.waitlisted for row in self.rows if row.capacity)

    @property
    def waitlist_per_seat(self) -> float | None:
        return _share(self.waitlisted, self.seats)

    @property
    def repeat_share(self) -> float | None:
        return _share(self.repeat_attendees, self.attendees)


def event_figures(period: Period, now: datetime) -> EventFigures:
    status = Registration.status
    confirmed = status == RegistrationStatus.CONFIRMED
    query = (
        sa.select(
            Event.id,
            Event.title,
            Event.starts_at,
            Event.ends_at,
            Event.capacity,
            sa.func.count(Registration.id),
            sa.func.count().filter(confirmed),
            sa.func.count().filter(confirmed, Registration.checked_in_at.is_not(None)),
            sa.func.count().filter(status == RegistrationStatus.WAITLISTED),
        )
        .outerjoin(Registration, Registration.event_id == Event.id)
        .where(Event.status == EventStatus.PUBLISHED, period.contains(Event.starts_at))
        .group_by(Event.id)
        .order_by(Event.starts_at, Event.id)
    )
    rows = [
        EventRow(id, title, starts, ends <= now, capacity, *counts)
        for id, title, starts, ends, capacity, *counts in db.session.execute(query)
    ]
    per_bucket = defaultdict(int)
    for row in rows:
        per_bucket[period.bucket_of(row.starts_at)] += 1

    visits = (
        sa.select(Registration.user_id, sa.func.count().label("events"))
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.checked_in_at.is_not(None),
            Event.status == EventStatus.PUBLISHED,
            period.contains(Event.starts_at),
        )
        .group_by(Registration.user_id)
        .subquery()
    )
    attendees, repeat = db.session.execute(
        sa.select(sa.func.count(), sa.func.count().filter(visits.c.events >= 2))
    ).one()
    return EventFigures(
        rows=rows,
        buckets=[(key, per_bucket.get(key, 0)) for key in period.buckets()],
        attendees=attendees,
        repeat_attendees=repeat,
    )


# --- meetings -------------------------------------------------------------------------------


@dataclass
class MeetingBucket:
    start: str
    live: int = 0
    coffee: int = 0


@dataclass
class Heatmap:
    """Meetings between sectors: cells[(a, b)] == cells[(b, a)], pairs of people counted."""

    sectors: list[Sector]
    cells: dict[tuple[int | None, int | None], int]

    @property
    def top(self) -> int:
        return max(self.cells.values(), default=0)

    def count(self, a: int | None, b: int | None) -> int:
        return self.cells.get((a, b), 0)

    @property
    def rows(self) -> list[tuple[int | None, Sector | None]]:
        """Each sector, and "no sector" when people without one had meetings."""
        rows = [(sector.id, sector) for sector in self.sectors]
        if any(None in pair for pair in self.cells):
            rows.append((None, None))
        return rows


@dataclass
class MeetingFigures:
    buckets: list[MeetingBucket]
    answered: int = 0  # meetings where someone said whether they met
    met: int = 0
    ratings: int = 0
    rating_sum: int = 0
    with_sectors: int = 0  # meetings with two people or more whose sector is known
    cross_sector: int = 0
    contacts: int = 0  # pairs who both chose to stay in touch
    heatmap: Heatmap | None = None

    @property
    def columns(self) -> list[tuple[str, tuple[int, int]]]:
        return [(b.start, (b.live, b.coffee)) for b in self.buckets]

    @property
    def live(self) -> int:
        return sum(b.live for b in self.buckets)

    @property
    def coffee(self) -> int:
        return sum(b.coffee for b in self.buckets)

    @property
    def held(self) -> int:
        return self.live + self.coffee

    @property
    def met_rate(self) -> float | None:
        return _share(self.met, self.answered)

    @property
    def average_rating(self) -> float | None:
        return _share(self.rating_sum, self.ratings)

    @property
    def cross_sector_share(self) -> float | None:
        return _share(self.cross_sector, self.with_sectors)


def meeting_figures(period: Period) -> MeetingFigures:
    said = MeetingMember.met
    per_meeting = (
        sa.select(
            Round.kind,
            Round.starts_at,
            sa.func.max(sa.case((said == "yes", 1), else_=0)).label("met"),
            sa.func.max(sa.case((said.is_not(None), 1), else_=0)).label("answered"),
            sa.func.count(sa.distinct(User.sector_id)).label("sectors"),
            sa.func.count(User.sector_id).label("with_sector"),
            sa.func.coalesce(sa.func.sum(MeetingMember.rating), 0).label("rating_sum"),
            sa.func.count(MeetingMember.rating).label("ratings"),
        )
        .select_from(Meeting)
        .join(Round, Round.id == Meeting.round_id)
        .join(MeetingMember, MeetingMember.meeting_id == Meeting.id)
        .join(User, User.id == MeetingMember.user_id)
        .where(_held_rounds(period))
        .group_by(Meeting.id, Round.kind, Round.starts_at)
        .subquery()
    )
    bucket = period.bucket(per_meeting.c.starts_at)
    figures = MeetingFigures(buckets=[MeetingBucket(key) for key in period.buckets()])
    by_key = {b.start: b for b in figures.buckets}
    query = sa.select(
        per_meeting.c.kind,
        bucket,
        sa.func.count(),
        sa.func.sum(per_meeting.c.answered),
        sa.func.sum(per_meeting.c.met),
        sa.func.sum(per_meeting.c.ratings),
        sa.func.sum(per_meeting.c.rating_sum),
        sa.func.count().filter(per_meeting.c.with_sector >= 2),
        sa.func.count().filter(per_meeting.c.sectors >= 2),
    ).group_by(per_meeting.c.kind, bucket)
    for kind, key, held, answered, met, ratings, rating_sum, known, cross in db.session.execute(
        query
    ):
        setattr(by_key[key], kind, held)
        figures.answered += answered
        figures.met += met
        figures.ratings += ratings
        figures.rating_sum += rating_sum
        figures.with_sectors += known
        figures.cross_sector += cross

    figures.heatmap, figures.contacts = sector_pairs(period)
    return figures


def sector_pairs(period: Period) -> tuple[Heatmap, int]:
    """Every pair of people who shared a meeting, by their sectors; and the pairs who both
    asked to stay in touch."""
    first, second = aliased(MeetingMember), aliased(MeetingMember)
    first_user, second_user = aliased(User), aliased(User)
    both_agreed = sa.and_(first.wants_contact.is_(True), second.wants_contact.is_(True))
    query = (
        sa.select(
            first_user.sector_id,
            second_user.sector_id,
            sa.func.count(),
            sa.func.count().filter(both_agreed),
        )
        .select_from(first)
        .join(
            second, sa.and_(second.meeting_id == first.meeting_id, second.user_id > first.user_id)
        )
        .join(Round, Round.id == first.round_id)
        .join(first_user, first_user.id == first.user_id)
        .join(second_user, second_user.id == second.user_id)
        .where(_held_rounds(period))
        .group_by(first_user.sector_id, second_user.sector_id)
    )
    cells: dict[tuple[int | None, int | None], int] = defaultdict(int)
    contacts = 0
    for a, b, pairs, agreed in db.session.execute(query):
        cells[(a, b)] += pairs
        if a != b:
            cells[(b, a)] += pairs
        contacts += agreed
    sectors = list(db.session.scalars(sa.select(Sector).order_by(Sector.id)))
    return Heatmap(sectors, dict(cells)), contacts


# --- newcomers ------------------------------------------------------------------------------


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
        return _share(self.engaged, self.joined)

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
            ~_declined(),
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


# --- feedback -------------------------------------------------------------------------------


@dataclass
class FeedbackRow:
    event_id: int
    title: str
    starts_at: datetime
    nps_answers: int
    promoters: int
    detractors: int
    ratings: int
    rating_sum: int

    @property
    def nps(self) -> int | None:
        if not self.nps_answers:
            return None
        return round(100 * (self.promoters - self.detractors) / self.nps_answers)

    @property
    def average_rating(self) -> float | None:
        return _share(self.rating_sum, self.ratings)


@dataclass
class FeedbackFigures:
    rows: list[FeedbackRow] = field(default_factory=list)

    @property
    def nps(self) -> int | None:
        answers = sum(r.nps_answers for r in self.rows)
        if not answers:
            return None
        promoters = sum(r.promoters for r in self.rows)
        return round(100 * (promoters - sum(r.detractors for r in self.rows)) / answers)

    @property
    def average_rating(self) -> float | None:
        return _share(sum(r.rating_sum for r in self.rows), sum(r.ratings for r in self.rows))

    def nps_points(self, period: Period) -> list[tuple[float, int, str]]:
        """(where in the period, NPS, what the dot says) for the chart."""
        return [
            (
                period.fraction(r.starts_at),
                r.nps,
                f"{r.title} · {r.starts_at:%Y-%m-%d} · NPS {r.nps}",
            )
            for r in self.rows
            if r.nps is not None
        ]

    def rating_points(self, period: Period) -> list[tuple[float, float, str]]:
        return [
            (period.fraction(r.starts_at), r.average_rating,
             f"{r.title} · {r.starts_at:%Y-%m-%d} · {r.average_rating:.1f}")
            for r in self.rows
            if r.average_rating is not None
        ]  # fmt: skip


def feedback_figures(period: Period) -> FeedbackFigures:
    """NPS and the average 1–5 rating of each event's surveys, event by event."""
    is_nps = Question.kind == QuestionKind.NPS
    is_rating = Question.kind == QuestionKind.RATING
    query = (
        sa.select(
            Event.id,
            Event.title,
            Event.starts_at,
            sa.func.count().filter(is_nps),
            sa.func.count().filter(is_nps, Answer.number >= 9),
            sa.func.count().filter(is_nps, Answer.number <= 6),
            sa.func.count().filter(is_rating),
            sa.func.coalesce(sa.func.sum(sa.case((is_rating, Answer.number))), 0),
        )
        .join(Survey, Survey.event_id == Event.id)
        .join(Question, Question.survey_id == Survey.id)
        .join(Answer, Answer.question_id == Question.id)
        .where(
            period.contains(Event.starts_at),
            Event.status == EventStatus.PUBLISHED,
            sa.or_(is_nps, is_rating),
            Answer.number.is_not(None),
        )
        .group_by(Event.id)
        .order_by(Event.starts_at, Event.id)
    )
    return FeedbackFigures([FeedbackRow(*row) for row in db.session.execute(query)])


# --- all of it ------------------------------------------------------------------------------


@dataclass
class Dashboard:
    period: Period
    members: MemberFigures
    events: EventFigures
    meetings: MeetingFigures
    newcomers: NewcomerFigures
    feedback: FeedbackFigures


def dashboard(period: Period, now: datetime) -> Dashboard:
    return Dashboard(
        period=period,
        members=member_figures(period),
        events=event_figures(period, now),
        meetings=meeting_figures(period),
        newcomers=newcomer_figures(period),
        feedback=feedback_figures(period),
    )


def period_between(first: date, last: date, zone) -> Period:
    """From the start of `first` to the end of `last`, both days in the community's zone."""
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    return Period(start.astimezone(UTC), end.astimezone(UTC))
