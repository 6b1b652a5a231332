"""What a read-only request costs PostgreSQL when its transaction ends in COMMIT (so psycopg
keeps its prepared statements) against ROLLBACK (so each query is planned afresh).

Two apps in one process, on one fresh PostgreSQL database: one as it is, one without the
teardown of app/transactions.py, as before it. They take turns over the pages, and for each
page the table gives the median of the rounds: milliseconds per request, and the CPU time
PostgreSQL's backends spent per request (read from /proc, so when PostgreSQL runs on this
machine; "—" otherwise).

    uv run python benchmarks/transactions.py [--requests 300] [--rounds 5]
"""

import argparse
import itertools
import os
import re
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app import create_app, transactions  # noqa: E402
from app.extensions import db  # noqa: E402
from benchmarks.registration import PASSWORD, fresh_database, seed  # noqa: E402


def backend_cpu_seconds(engine: sa.Engine, database: str) -> float | None:
    """CPU time of every PostgreSQL backend serving `database` so far."""
    with engine.connect() as connection:
        pids = connection.execute(
            sa.text("SELECT pid FROM pg_stat_activity WHERE datname = :name"), {"name": database}
        ).scalars()
        total = 0
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None  # PostgreSQL is not on this machine
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def signed_in_client(app, email: str):
    client = app.test_client()
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").text).group(1)
    answer = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
    )
    assert answer.status_code == 302, f"{email} could not sign in"
    return client


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300, help="per page per round")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    url, drop = fresh_database()
    try:
        event_id = seed(url, members=50, seats=20)
        settings = {
            "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-" * 8,
            "MAIL_SERVER": "127.0.0.1", "MAIL_BACKEND": "smtp", "RATELIMIT_ENABLED": False,
            "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False,
            "PREFERRED_URL_SCHEME": "http",
        }  # fmt: skip
        apps = {"COMMIT": create_app("production", settings)}
        apps["ROLLBACK"] = before = create_app("production", settings)
        before.teardown_appcontext_funcs.remove(transactions._end_read_only_transaction)

        views = itertools.count()
        pages = {
            "/healthz": lambda client: "/healthz",
            "events list": lambda client: "/events/",
            "event page, first view": lambda client: f"/events/{event_id}?view={next(views)}",
            "member directory": lambda client: "/members/",
        }
        clients = {name: signed_in_client(app, "bench1@example.org") for name, app in apps.items()}
        admin = sa.create_engine(sa.make_url(url).set(database="postgres"))
        database = sa.make_url(url).database

        results = {(page, name): ([], []) for page in pages for name in apps}
        for _ in range(args.rounds):
            for page, path_of in pages.items():
                for name, client in clients.items():
                    for _ in range(20):  # warm: the first uses of a connection prepare nothing
                        path = path_of(client)
                        assert client.get(path).status_code == 200, path
                    cpu = backend_cpu_seconds(admin, database)
                    started = time.perf_counter()
                    for _ in range(args.requests):
                        path = path_of(client)
                        assert client.get(path).status_code == 200, path
                    elapsed = time.perf_counter() - started
                    after = backend_cpu_seconds(admin, database)
                    walls, cpus = results[(page, name)]
                    walls.append(elapsed / args.requests * 1000)
                    if cpu is not None and after is not None:
                        cpus.append((after - cpu) / args.requests * 1000)
        admin.dispose()
        for app in apps.values():
            with app.app_context():
                db.engine.dispose()
    finally:
        drop()

    print(f"{args.requests} requests per page per round, {args.rounds} rounds, medians")
    header = ("page", "ends in", "ms / request", "PostgreSQL CPU ms / request")
    print(f"{header[0]:<24}{header[1]:>10}{header[2]:>14}{header[3]:>30}")
    for page in pages:
        for name in apps:
            walls, cpus = results[(page, name)]
            cpu = f"{statistics.median(cpus):.3f}" if cpus else "—"
            print(f"{page:<24}{name:>10}{statistics.median(walls):>14.2f}{cpu:>30}")
        new, old = (statistics.median(results[(page, name)][1] or [0]) for name in apps)
        if old:
            print(f"{'':<24}{'':>10}{'':>14}{f'× {new / old:.2f} of ROLLBACK':>30}")


if __name__ == "__main__":
    main()
