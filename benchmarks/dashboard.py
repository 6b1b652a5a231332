"""How fast the community dashboard answers for a community of 5,000.

Seeds the demo community (`flask demo seed --members 5000`: about 200 events, 20,000
registrations, 10,000 meetings and survey answers) into a throw-away database — SQLite,
and PostgreSQL too when one answers — and times /dashboard for a logged-in admin through
the WSGI stack, for each preset period, against /healthz in the same process. Prints what
was seeded, medians, the ratio to /healthz and the SQL statements per page.
Target: the dashboard's median at most 300 ms.

    uv run python benchmarks/dashboard.py [--members 5000] [--repeat 15] [--sqlite-only]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Answer, Event, Meeting, Registration, User  # noqa: E402
from app.services import demo  # noqa: E402
from benchmarks.page_timing import time_page  # noqa: E402
from tests.databases import fresh_database  # noqa: E402

TARGET_MS = 300
PAGES = [
    ("/healthz", "/healthz (baseline)"),
    ("/dashboard?days=30", "dashboard, 30 days"),
    ("/dashboard?days=90", "dashboard, 90 days"),
    ("/dashboard?days=365", "dashboard, 365 days"),
    ("/dashboard/events.csv?days=365", "events CSV, 365 days"),
]


def run(url, members, repeat):
    app = create_app(
        "test",
        {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False},
    )
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        demo.seed_demo_community(members=members)
        db.session.commit()
        demo.refresh_planner_statistics()  # as `flask demo seed` does
        seeded = time.perf_counter() - started
        sizes = {
            model.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (User, Event, Registration, Meeting, Answer)
        }
        engine = db.engine
    client = app.test_client()
    client.post("/auth/login", data={"email": demo.ADMIN_EMAIL, "password": demo.DEMO_PASSWORD})
    results = []
    for path, label in PAGES:
        median, queries = time_page(client, engine, path, repeat)
        results.append((label, median, queries))
    with app.app_context():
        db.engine.dispose()
    return seeded, sizes, results


def postgres_server() -> str:
    found = subprocess.run(
        [sys.executable, str(ROOT / "scripts/postgres_url.py")], capture_output=True, text=True
    )
    return found.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()

    databases = [("SQLite", None)]
    server = "" if args.sqlite_only else postgres_server()
    if server:
        databases.append(("PostgreSQL", server))
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, server_url in databases:
            if server_url:
                os.environ["TEST_DATABASE_URL"] = server_url
            else:
                os.environ.pop("TEST_DATABASE_URL", None)
            with fresh_database(Path(tmp), "spilno_bench_dashboard") as url:
                seeded, sizes, results = run(url, args.members, args.repeat)
            print(f"\n{name}: seeded in {seeded:.1f} s: " + ", ".join(
                f"{count:,} {table}" for table, count in sizes.items()
            ))  # fmt: skip
            print(f"{'page':<24} {'median ms':>10} {'× healthz':>10} {'queries':>8}")
            baseline = results[0][1]
            for label, median, queries in results:
                print(f"{label:<24} {median:>10.1f} {median / baseline:>10.1f} {queries:>8}")
                if label.startswith("dashboard"):
                    worst = max(worst, median)
    verdict = "met" if worst <= TARGET_MS else "NOT met"
    print(f"\nslowest dashboard median {worst:.0f} ms; target ≤ {TARGET_MS} ms: {verdict}")


if __name__ == "__main__":
    main()
