"""400 members register for a 100-seat event at once, through gunicorn on PostgreSQL.

Starts gunicorn (4 workers, production settings) on a fresh PostgreSQL database, logs in
400 members, releases their registrations together, and prints what the database holds
and how fast it went. In the same run it measures requests per second of the event page
for a logged-in member against /healthz, the floor of a request, and of first views
(pages never drawn before for their inputs).

    uv run python benchmarks/registration.py [--members 400] [--seats 100] [--workers 4]
"""

import argparse
import http.cookiejar
import itertools
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Event, Registration, User  # noqa: E402
from app.models.types import utcnow  # noqa: E402

SERVER = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "benchmark-password"


def fresh_database() -> tuple[str, callable]:
    name = f"spilno_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return sa.make_url(SERVER).set(database=name).render_as_string(hide_password=False), drop


def seed(url: str, members: int, seats: int) -> int:
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        hashed = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
        db.session.execute(
            sa.insert(User),
            [
                {
                    "email": f"bench{n}@example.org", "password_hash": hashed,
                    "name": f"Учасник {n}", "name_key": f"учасник {n}", "role": "member",
                    "locale": "uk", "organisation": "", "city": "", "languages": [], "bio": "",
                    "contact": "", "calendar_token": f"bench-{n}",
                }
                for n in range(members)
            ],
        )  # fmt: skip
        start = utcnow() + timedelta(days=3)
        event = Event(
            title="Benchmark evening", format="offline", starts_at=start,
            ends_at=start + timedelta(hours=2), venue="Хаб", city="Київ", capacity=seats,
            status="published",
        )  # fmt: skip
        db.session.add(event)
        db.session.commit()
        event_id = event.id
        db.engine.dispose()
    return event_id


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(url: str, workers: int):
    port = free_port()
    env = {
        **os.environ,
        "SPILNO_ENV": "production",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "DATABASE_URL": url,
        "MAIL_SERVER": "127.0.0.1",  # nothing is sent: no worker runs
        "RATELIMIT_ENABLED": "false",  # every request comes from 127.0.0.1 here
        "SESSION_COOKIE_SECURE": "false",  # plain HTTP on loopback
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--access-logfile", os.devnull, "app:create_app()"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=1)
            return process, base
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("gunicorn did not start")


class Member:
    """One browser: a cookie jar, a session and the CSRF token of its pages."""

    def __init__(self, base: str, email: str):
        self.base, self.email = base, email
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.token = ""

    def get(self, path: str) -> str:
        return self.opener.open(self.base + path, timeout=60).read().decode()

    def post(self, path: str, data: dict) -> int:
        body = urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()
        try:
            return self.opener.open(self.base + path, data=body, timeout=120).status
        except urllib.error.HTTPError as error:
            return error.code

    def log_in(self, event_path: str) -> None:
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', self.get("/")).group(1)
        if self.post("/auth/login", {"email": self.email, "password": PASSWORD}) != 200:
            raise RuntimeError(f"{self.email} could not log in")
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', self.get(event_path)).group(1)


def requests_per_second(fetch, seconds: float, threads: int = 8) -> float:
    done = [0] * threads
    deadline = time.perf_counter() + seconds

    def loop(slot):
        while time.perf_counter() < deadline:
            fetch()
            done[slot] += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=loop, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return sum(done) / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=400)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0, help="per throughput measured")
    parser.add_argument("--rounds", type=int, default=5, help="turns the measurements take")
    args = parser.parse_args()

    url, drop = fresh_database()
    process = None
    try:
        event_id = seed(url, args.members, args.seats)
        process, base = start_gunicorn(url, args.workers)
        event_path = f"/events/{event_id}"
        members = [Member(base, f"bench{n}@example.org") for n in range(args.members)]
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda m: m.log_in(event_path), members))

        barrier = threading.Barrier(len(members))
        codes = []

        def register(member):
            barrier.wait()
            codes.append(member.post(f"{event_path}/register", {}))

        threads = [threading.Thread(target=register, args=(m,)) for m in members]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started

        engine = sa.create_engine(url)
        with engine.connect() as connection:
            counts = dict(
                connection.execute(
                    sa.select(Registration.status, sa.func.count())
                    .where(Registration.event_id == event_id)
                    .group_by(Registration.status)
                ).all()
            )
        engine.dispose()
        errors = sum(code != 200 for code in codes)

        reader = members[0]
        # A path never asked for before is a page never drawn before: the cost of a first view.
        fresh = itertools.count()
        fetches = {
            "page": lambda: reader.get(event_path),
            "health": lambda: urllib.request.urlopen(base + "/healthz", timeout=30).read(),
            "drawn": lambda: reader.get(f"{event_path}?view={next(fresh)}"),
        }
        # This machine's speed drifts: the three take turns, and each ratio is the median
        # of the rounds' ratios, each against the /healthz rate measured beside it.
        rates = {name: [] for name in fetches}
        for _ in range(args.rounds):
            for name, fetch in fetches.items():
                rates[name].append(requests_per_second(fetch, args.seconds / args.rounds))
        health_rps, page_rps, drawn_rps = (
            statistics.median(rates[name]) for name in ("health", "page", "drawn")
        )
        page_ratio, drawn_ratio = (
            statistics.median(r / h for r, h in zip(rates[name], rates["health"], strict=True))
            for name in ("page", "drawn")
        )

        rows = [
            ("members registering at once", args.members, ""),
            ("seats", args.seats, ""),
            ("gunicorn workers", args.workers, ""),
            ("confirmed", counts.get("confirmed", 0), f"must be {args.seats}"),
            ("waitlisted", counts.get("waitlisted", 0), f"must be {args.members - args.seats}"),
            ("errors (non-200 answers)", errors, "must be 0"),
            (
                "registrations per second",
                f"{args.members / elapsed:.0f}",
                f"{elapsed:.2f} s in all",
            ),
            ("/healthz requests per second", f"{health_rps:.0f}", "baseline"),
            (f"{event_path} requests per second", f"{page_rps:.0f}", "logged-in member"),
            ("event page ÷ /healthz", f"{page_ratio:.2f}", "target ≥ 0.50"),
            ("first views per second", f"{drawn_rps:.0f}", "each drawn afresh"),
            ("first view ÷ /healthz", f"{drawn_ratio:.2f}", ""),
        ]
        width = max(len(name) for name, _, _ in rows)
        for name, value, note in rows:
            print(f"{name:<{width}}  {value!s:>8}  {note}")
        ok = (
            counts.get("confirmed") == args.seats
            and counts.get("waitlisted") == args.members - args.seats
            and errors == 0
        )
        sys.exit(0 if ok else 1)
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=20)
        drop()


if __name__ == "__main__":
    main()
