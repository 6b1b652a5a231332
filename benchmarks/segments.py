"""Counting segments over 20,000 members on PostgreSQL (target: 300 ms each).

The community: 20,000 members in 8 sectors and 6 cities, 3 interests each from 200 tags,
300 past events with 60,000 registrations (three in four checked in), 2,000 in random
coffee. Each segment is counted as the page counts it (`segments.count`); medians of 7
runs. Baseline in the same process: `SELECT count(*) FROM users`.

    uv run python benchmarks/segments.py [--members 20000]
"""

import argparse
import random
import sys
import time
import uuid
from contextlib import ExitStack
from datetime import timedelta
from pathlib import Path
from statistics import median

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    CoffeeSubscription,
    Event,
    Registration,
    Sector,
    Tag,
    User,
    user_interests,
)
from app.models.types import utcnow  # noqa: E402
from app.services import segments  # noqa: E402
from app.services.segments import Criteria  # noqa: E402
from tests.databases import postgres_database  # noqa: E402

CITIES = ["Київ", "Львів", "Харків", "Одеса", "Дніпро", "Вінниця"]


def seed(members: int, rng: random.Random) -> dict:
    now = utcnow()
    sectors = [Sector(name_uk=f"Сектор {n}", name_en=f"Sector {n}") for n in range(8)]
    tags = [Tag(name=f"тема {n}") for n in range(200)]
    db.session.add_all(sectors + tags)
    db.session.flush()
    db.session.execute(
        sa.insert(User),
        [
            {"email": f"m{n}@example.org", "name": f"Учасник {n}", "name_key": f"учасник {n}",
             "role": "member", "locale": "uk", "organisation": "", "bio": "", "contact": "",
             "sector_id": sectors[n % 8].id, "city": CITIES[n % 6],
             "languages": ["uk", "en"] if n % 3 == 0 else ["uk"],
             "calendar_token": uuid.uuid4().hex,
             "created_at": now - timedelta(days=rng.randint(1, 900))}
            for n in range(members)
        ],
    )  # fmt: skip
    ids = db.session.scalars(sa.select(User.id)).all()
    db.session.execute(
        sa.insert(user_interests),
        [{"user_id": u, "tag_id": t.id} for u in ids for t in rng.sample(tags, 3)],
    )
    events = [
        Event(title=f"Подія {n}", starts_at=now - timedelta(days=3 * n + 1),
              ends_at=now - timedelta(days=3 * n + 1) + timedelta(hours=2), status="published")
        for n in range(300)
    ]  # fmt: skip
    db.session.add_all(events)
    db.session.flush()
    rows = []
    for event in events:
        for user_id in rng.sample(ids, 200):
            came = rng.random() < 0.75
            rows.append({"event_id": event.id, "user_id": user_id, "status": "confirmed",
                         "ticket_token": uuid.uuid4().hex,
                         "checked_in_at": event.starts_at if came else None})  # fmt: skip
    db.session.execute(sa.insert(Registration), rows)
    db.session.execute(
        sa.insert(CoffeeSubscription), [{"user_id": u} for u in rng.sample(ids, 2000)]
    )
    db.session.commit()
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()
    return {"sector": sectors[3].id, "event": events[10].id, "registrations": len(rows)}


def timed(criteria: Criteria, runs: int = 7) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        result = segments.count(criteria)
        times.append(time.perf_counter() - start)
    return median(times) * 1000, result


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
            made = seed(args.members, random.Random(2026))
            since = (utcnow() - timedelta(days=180)).date().isoformat()
            cases = {
                "everyone": Criteria(),
                "sector + city": Criteria(sector_ids=[made["sector"]], cities=["Львів"]),
                "speaks English": Criteria(languages=["en"]),
                "interest (any of 3 tags)": Criteria(interests=["тема 1", "тема 2", "тема 3"]),
                "came to 3+ events in 180 days": Criteria(
                    attended_at_least=3, attended_since=since
                ),
                "2+ no-shows": Criteria(no_shows_at_least=2),
                "checked in at one event": Criteria(checked_in_event_id=made["event"]),
                "in random coffee": Criteria(in_coffee=True),
                "not seen for 90 days": Criteria(not_seen_days=90),
                "all of: city, tag, 2+ events, coffee": Criteria(
                    cities=["Київ"], interests=["тема 5"], attended_at_least=2, in_coffee=True
                ),
            }
            base_times = []
            for _ in range(7):
                start = time.perf_counter()
                db.session.scalar(sa.text("SELECT count(*) FROM users"))
                base_times.append(time.perf_counter() - start)
            baseline = median(base_times) * 1000
            print(f"\n{args.members} members, {made['registrations']} registrations, PostgreSQL")
            print(f"{'segment':40} {'members':>8} {'median ms':>10} {'× baseline':>11}")
            print(f"{'baseline: SELECT count(*) FROM users':40} {'':>8} {baseline:10.1f} {1:11.1f}")
            worst = 0.0
            for name, criteria in cases.items():
                ms, found = timed(criteria)
                worst = max(worst, ms)
                print(f"{name:40} {found:8d} {ms:10.1f} {ms / baseline:11.1f}")
            print(f"\nslowest: {worst:.0f} ms against a target of 300 ms")
            db.session.remove()
            db.engine.dispose()
    finally:
        databases.close()  # the benchmark's database is dropped


if __name__ == "__main__":
    main()
