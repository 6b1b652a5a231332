"""The dashboard's buckets: every week or month a period touches, computed a bucket at a
time, the same as walking the period a day at a time."""

import random
from datetime import UTC, datetime, timedelta

from app.services.analytics.period import Period


def day_by_day(period: Period) -> list[str]:
    keys, moment = [], period.start
    while moment < period.end:
        key = period.bucket_of(moment)
        if not keys or keys[-1] != key:
            keys.append(key)
        moment += timedelta(days=1)
    return keys


def test_buckets_are_those_a_day_by_day_walk_finds():
    rng = random.Random(5)
    for _ in range(2000):
        start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randint(0, 1_000_000))
        length = timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
        period = Period(start, start + length)
        assert period.buckets() == day_by_day(period), period


def test_a_year_is_thirteen_months_or_fewer_and_a_month_is_weeks():
    now = datetime(2026, 12, 2, 12, tzinfo=UTC)
    year = Period.last(365, now).buckets()
    assert year[0] == "2025-12-01" and year[-1] == "2026-12-01" and len(year) == 13
    month = Period.last(30, now).buckets()
    assert month == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30"]
