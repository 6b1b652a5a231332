"""Events held in the period: registrations, attendance, waitlists, and what people said."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Answer,
    Event,
    EventStatus,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Role,
    Survey,
    User,
    event_hosts,
)
from app.services.analytics.period import Period, share


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
        return share(self.checked_in, self.confirmed) if self.counts_for_attendance else None


@dataclass
class EventFigures:
    rows: list[EventRow]
    buckets: list[tuple[str, int]]
    attendees: int  # distinct people checked in
    repeat_attendees: int  # of them, checked in at two events or more
    run_by_members: int = 0  # events with a host who is a member, not staff

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
        return share(*self._attended())

    @property
    def no_show_rate(self) -> float | None:
        checked_in, confirmed = self._attended()
        return share(confirmed - checked_in, confirmed)

    @property
    def seats(self) -> int:
        return sum(row.capacity or 0 for row in self.rows)

    @property
    def waitlisted(self) -> int:
        return sum(row.waitlisted for row in self.rows if row.capacity)

    @property
    def waitlist_per_seat(self) -> float | None:
        return share(self.waitlisted, self.seats)

    @property
    def repeat_share(self) -> float | None:
        return share(self.repeat_attendees, self.attendees)


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
    run_by_members = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Event.id)))
        .join(event_hosts, event_hosts.c.event_id == Event.id)
        .join(User, User.id == event_hosts.c.user_id)
        .where(
            Event.status == EventStatus.PUBLISHED,
            period.contains(Event.starts_at),
            User.role == Role.MEMBER,
        )
    )
    return EventFigures(
        rows=rows,
        buckets=[(key, per_bucket.get(key, 0)) for key in period.buckets()],
        attendees=attendees,
        repeat_attendees=repeat,
        run_by_members=run_by_members,
    )


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
        return share(self.rating_sum, self.ratings)


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
        return share(sum(r.rating_sum for r in self.rows), sum(r.ratings for r in self.rows))

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
            (
                period.fraction(r.starts_at),
                r.average_rating,
                f"{r.title} · {r.starts_at:%Y-%m-%d} · {r.average_rating:.1f}",
            )
            for r in self.rows
            if r.average_rating is not None
        ]


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
