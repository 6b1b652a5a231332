"""Recomputing the engagement levels of 20,000 members on PostgreSQL (target: 10 s), and what
reads them: "who should she meet?" and the impact report.

The community of benchmarks/segments.py (20,000 members, 300 events in the last ten months
with 60,000 registrations, three in four checked in), with 200 live rounds of 100 meetings and
two offers and two asks per member (so help given is found). Timed: `levels.compute` (the
level of everyone) and `levels.snapshot` (that, written as this month's snapshot), against
reading the same check-ins alone; `introductions.candidates_for` before levels are known
(everyone is a candidate) and after (the dormant are not), against loading one profile; the
impact report for a year against the dashboard for the same year, which it contains.

    uv run python benchmarks/levels.py [--members 20000]
"""

import argparse
import random
import sys
import time
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from flask_migrate import upgrade  # noqa: E402
from segments import seed  # noqa: E402  (the same community)

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Event, Meeting, MeetingMember, Registration, Round, Tag, User  # noqa: E402
from app.models.accounts import user_asks, user_offers  # noqa: E402
from app.models.types import utcnow  # noqa: E402
from app.services import analytics, directory, introductions, levels, reports  # noqa: E402
from tests.databases import postgres_database  # noqa: E402


def add_rounds(rng: random.Random) -> int:
    events = db.session.scalars(sa.select(Event).order_by(Event.id).limit(200)).all()
    made = 0
    for event in events:
        came = db.session.scalars(
            sa.select(Registration.user_id).where(
                Registration.event_id == event.id, Registration.checked_in_at.is_not(None)
            )
        ).all()
        round_ = Round(kind="live", event_id=event.id, number=1, status="closed",
                       starts_at=event.starts_at)  # fmt: skip
        db.session.add(round_)
        db.session.flush()
        for a, b in zip(came[0::2], came[1::2], strict=False):
            meeting = Meeting(round_id=round_.id)
            db.session.add(meeting)
            db.session.flush()
            db.session.add_all(
                [MeetingMember(meeting_id=meeting.id, user_id=person, round_id=round_.id)
                 for person in (a, b)]
            )  # fmt: skip
            made += 1
    db.session.commit()
    return made


def add_offers_and_asks(rng: random.Random) -> None:
    tags = db.session.scalars(sa.select(Tag.id)).all()
    ids = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
    for table in (user_offers, user_asks):
        db.session.execute(
            sa.insert(table),
            [{"user_id": u, "tag_id": t} for u in ids for t in rng.sample(tags, 2)],
        )
    db.session.commit()


def median_seconds(action, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=20000)
    args = parser.parse_args()
    databases = ExitStack()
    url = databases.enter_context(postgres_database())
    try:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            rng = random.Random(2026)
            made = seed(args.members, rng)
            meetings = add_rounds(rng)
            add_offers_and_asks(rng)
            db.session.execute(sa.text("ANALYZE"))
            db.session.commit()
            now = utcnow()
            start = time.perf_counter()
            db.session.execute(
                sa.select(Registration.user_id, Registration.checked_in_at).where(
                    Registration.checked_in_at >= now - timedelta(days=182)
                )
            ).all()
            baseline = time.perf_counter() - start
            start = time.perf_counter()
            computed = levels.compute(now)
            compute_s = time.perf_counter() - start
            start = time.perf_counter()
            levels.snapshot(now)
            db.session.commit()
            snapshot_s = time.perf_counter() - start
            counts = {}
            helped = sum(1 for _u, kind, _w in levels.acts(now - timedelta(days=182))
                         if kind == "helped")  # fmt: skip
            people = db.session.scalars(sa.select(User.id).order_by(User.id).limit(5)).all()
            profile_s = median_seconds(lambda: directory.member_profile(people[0]))
            after_s = median_seconds(lambda: [introductions.candidates_for(p) for p in people]) / 5
            db.session.execute(sa.text("DELETE FROM level_snapshots"))
            before_s = median_seconds(lambda: [introductions.candidates_for(p) for p in people]) / 5
            db.session.rollback()
            year = analytics.Period.last(365, now)
            dashboard_s = median_seconds(lambda: analytics.dashboard(year, now))
            report_s = median_seconds(lambda: reports.impact_report(year, now))
            for level, _score in computed.values():
                counts[level] = counts.get(level, 0) + 1
            db.session.remove()
            db.engine.dispose()
    finally:
        databases.close()
    print(f"\n{args.members} members, {made['registrations']} registrations, {meetings} meetings")
    print(f"{'step':44} {'seconds':>8} {'× baseline':>11}")
    print(f"{'baseline: read six months of check-ins':44} {baseline:8.2f} {1:11.1f}")
    print(f"{'compute: every member level':44} {compute_s:8.2f} {compute_s / baseline:11.1f}")
    step = "snapshot: compute and write the month"
    print(f"{step:44} {snapshot_s:8.2f} {snapshot_s / baseline:11.1f}")
    print("levels: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"acts of help given found: {helped}")
    print(f"\n{'step':44} {'seconds':>8} {'× baseline':>11}")
    print(f"{'baseline: one member profile':44} {profile_s:8.3f} {1:11.1f}")
    step = "who should they meet, before levels exist"
    print(f"{step:44} {before_s:8.3f} {before_s / profile_s:11.1f}")
    step = "who should they meet, the dormant left out"
    print(f"{step:44} {after_s:8.3f} {after_s / profile_s:11.1f}")
    print(f"{'baseline: the dashboard for a year':44} {dashboard_s:8.3f} {1:11.1f}")
    step = "the impact report for the same year"
    print(f"{step:44} {report_s:8.3f} {report_s / dashboard_s:11.1f}")
    print(f"\nrecomputed in {snapshot_s:.1f} s against a target of 10 s")


if __name__ == "__main__":
    main()
