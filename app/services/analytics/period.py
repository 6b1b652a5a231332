"""The span the dashboard looks at, and how it is cut into weeks or months."""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.services.sql_time import month_start, week_start

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
        """Every week or month the period touches, in order: from the first moment's to
        that of the last whole day counted from the start (as many steps as buckets)."""
        days = max(math.ceil((self.end - self.start) / timedelta(days=1)) - 1, 0)
        if self.end <= self.start:
            return []
        first = date.fromisoformat(self.bucket_of(self.start))
        last = date.fromisoformat(self.bucket_of(self.start + timedelta(days=days)))
        keys, day = [], first
        while day <= last:
            keys.append(day.isoformat())
            day = day + timedelta(days=7) if self.weekly else _next_month(day)
        return keys


def _next_month(first_day: date) -> date:
    return (first_day.replace(day=28) + timedelta(days=4)).replace(day=1)


def period_between(first: date, last: date, zone) -> Period:
    """From the start of `first` to the end of `last`, both days in the community's zone."""
    start = datetime.combine(first, datetime.min.time(), zone)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), zone)
    return Period(start.astimezone(UTC), end.astimezone(UTC))


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
