"""Phones polling the live round: 304s while nothing changes, the new round within one poll.

Starts gunicorn (production settings) on a fresh PostgreSQL database with N checked-in
attendees and a published round, logs them all in, and lets each phone poll
/events/<id>/live every INTERVAL seconds as htmx does, sending back the ETag it was given.
Halfway, the host publishes the next round. Then, as baselines in the same run, the same
phones poll without ETags (every poll drawn), and poll /healthz (the floor: what any request
through the app costs). Prints requests per second, CPU ms per poll (gunicorn's workers and
PostgreSQL's backends, from /proc), SQL statements per unchanged poll (counted in-process on
the same code), the share of 304s and how long each phone took to show the new round.

    uv run python benchmarks/live.py [--attendees 300] [--seconds 120] [--interval 3]
"""

import argparse
import os
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
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
from app.models import Event, Registration, Round, User  # noqa: E402
from app.models.types import utcnow  # noqa: E402
from app.services import rounds  # noqa: E402
from benchmarks.registration import (  # noqa: E402
    PASSWORD,
    Member,
    fresh_database,
    start_gunicorn,
)

TICKS = os.sysconf("SC_CLK_TCK")


def seed(url: str, attendees: int) -> int:
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        hashed = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
        people = [
            User(email=f"phone{n}@example.org", password_hash=hashed, name=f"Гість {n}",
                 name_key=f"гість {n}", role="host" if n == 0 else "member")
            for n in range(attendees + 1)
        ]  # fmt: skip
        start = utcnow() - timedelta(minutes=10)
        event = Event(title="Live benchmark", format="offline", starts_at=start,
                      ends_at=start + timedelta(hours=3), venue="Хаб", city="Київ",
                      status="published", hosts=[people[0]])  # fmt: skip
        db.session.add_all([event, *people])
        db.session.flush()
        for person in people[1:]:
            db.session.add(Registration(event_id=event.id, user_id=person.id,
                                        status="confirmed", checked_in_at=utcnow()))  # fmt: skip
        db.session.commit()
        first = rounds.draft_round(event.id, minutes=7)
        rounds.publish(event.id, first.id)
        db.session.commit()
        event_id = event.id
        db.engine.dispose()
    return event_id


def statements_per_unchanged_poll(url: str, event_id: int) -> int:
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/auth/login", data={"email": "phone1@example.org", "password": PASSWORD})
    with app.app_context():
        engine = db.engine
    headers = {"HX-Request": "true"}
    etag = client.get(f"/events/{event_id}/live", headers=headers).headers["ETag"]
    counted = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: counted.append(1))
    answer = client.get(f"/events/{event_id}/live", headers={**headers, "If-None-Match": etag})
    assert answer.status_code == 304, answer.status_code
    return len(counted)


def cpu_seconds(pids) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def server_pids(gunicorn_pid: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name, rest = stat.split("(", 1)[1].rsplit(")", 1)
        parent = int(rest.split()[1])
        if parent == gunicorn_pid or name == "postgres":
            pids.append(int(entry.name))
    return pids


class Phone(Member):
    def __init__(self, base, email):
        super().__init__(base, email)
        self.etag = None
        self.saw_round = 0
        self.saw_new_round_at = None

    def poll(self, path: str, use_etag: bool) -> int:
        request = urllib.request.Request(self.base + path, headers={"HX-Request": "true"})
        if use_etag and self.etag:
            request.add_header("If-None-Match", self.etag)
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            return error.code  # 304: unchanged
        body = response.read().decode()
        self.etag = response.headers.get("ETag")
        if 'data-round="' not in body:
            return response.status  # the floor's /healthz
        number = int(body.split('data-round="', 1)[1].split('"', 1)[0])
        if number > self.saw_round:
            self.saw_round, self.saw_new_round_at = number, time.monotonic()
        return response.status


def run_phase(phones, path, seconds, interval, use_etag, at_half=None):
    """Each phone polls every `interval`, spread evenly; returns (codes, elapsed)."""
    codes, lock = [], threading.Lock()
    start = time.monotonic()
    half_done = threading.Event()

    def phone_loop(index, phone):
        next_at = start + interval * index / len(phones)
        while next_at < start + seconds:
            time.sleep(max(0.0, next_at - time.monotonic()))
            if at_half and not half_done.is_set() and time.monotonic() >= start + seconds / 2:
                with lock:
                    if not half_done.is_set():
                        at_half()
                        half_done.set()
            code = phone.poll(path, use_etag)
            with lock:
                codes.append(code)
            next_at += interval

    with ThreadPoolExecutor(len(phones)) as pool:
        list(pool.map(lambda pair: phone_loop(*pair), enumerate(phones)))
    return codes, time.monotonic() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=120.0, help="polling with ETags")
    parser.add_argument("--baseline-seconds", type=float, default=30.0, help="without ETags")
    parser.add_argument("--interval", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    url, drop = fresh_database()
    process = None
    try:
        event_id = seed(url, args.attendees)
        statements = statements_per_unchanged_poll(url, event_id)
        process, base = start_gunicorn(url, args.workers)
        path = f"/events/{event_id}/live"
        phones = [Phone(base, f"phone{n}@example.org") for n in range(1, args.attendees + 1)]
        host = Member(base, "phone0@example.org")
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda m: m.log_in(f"/events/{event_id}"), [*phones, host]))
        for phone in phones:
            phone.poll(path, True)  # each phone has its panel and its ETag
        published = {}

        def next_round():
            host.log_in(f"/events/{event_id}/rounds")
            host.post(f"/events/{event_id}/rounds/draft", {"minutes": "7"})
            app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
            with app.app_context():
                draft = db.session.scalar(
                    sa.select(Round.id).where(Round.event_id == event_id, Round.status == "draft")
                )
                db.engine.dispose()
            host.post(f"/events/{event_id}/rounds/{draft}/publish", {})
            published["at"] = time.monotonic()

        rows = []
        for label, where, seconds, use_etag, change in (
            ("with ETags (as browsers poll)", path, args.seconds, True, next_round),
            ("baseline: every poll drawn", path, args.baseline_seconds, False, None),
            ("floor: /healthz, same rate", "/healthz", args.baseline_seconds, False, None),
        ):
            pids = server_pids(process.pid)
            cpu_before = cpu_seconds(pids)
            codes, elapsed = run_phase(phones, where, seconds, args.interval, use_etag, change)
            cpu = cpu_seconds(pids) - cpu_before
            polls = len(codes)
            errors = sum(code >= 400 and code != 304 for code in codes)
            share = codes.count(304) / polls
            rows.append((label, polls, polls / elapsed, 1000 * cpu / polls, share, errors))
        lags = [p.saw_new_round_at - published["at"] for p in phones if p.saw_round >= 2]
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        drop()

    print(
        f"{args.attendees} phones polling every {args.interval:g} s, gunicorn "
        f"{args.workers} workers, PostgreSQL; SQL statements per unchanged poll: {statements}"
    )
    print(f"{'phase':32} {'polls':>6} {'polls/s':>8} {'CPU ms/poll':>12} {'304s':>6} {'errors':>7}")
    for label, polls, rate, cpu_ms, share, errors in rows:
        print(f"{label:32} {polls:>6} {rate:>8.1f} {cpu_ms:>12.2f} {share:>6.0%} {errors:>7}")
    print(f"CPU per poll, ETags ÷ baseline: {rows[0][3] / rows[1][3]:.2f}")
    print(
        f"phones that saw round 2: {len(lags)} of {len(phones)}; after publishing: median "
        f"{statistics.median(lags):.2f} s, slowest {max(lags):.2f} s "
        f"(interval {args.interval:g} s)"
    )


if __name__ == "__main__":
    main()
