"""Phones polling the live round: cheap while nothing changes, the new round within one poll.

Starts gunicorn (production settings) on a fresh PostgreSQL database with N checked-in
attendees and a published round, logs them all in, and lets each phone poll every INTERVAL
seconds as the live page's htmx does: the tiny "did the room's round change?" ask, the panel
when it did, and the panel (with its ETag) every 30 s anyway. Halfway through the first phase
the host publishes the next round; then nothing changes. As baselines in the same run, the
same phones poll the whole panel with its ETag (a 304 when unchanged), the whole panel without
(every poll drawn), and /healthz (the floor: what any request through the app costs). Prints
requests per second, CPU ms per request (gunicorn's workers and PostgreSQL's backends, from
/proc), SQL statements of the unchanged asks (counted in-process on the same code), the share
of 204s and 304s, and how long each phone took to show the new round.

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
PANEL_SECONDS = 30.0  # the app's LIVE_PANEL_SECONDS


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


def statements_per_unchanged_poll(url: str, event_id: int) -> tuple[int, int]:
    """SQL statements of one unchanged round ask and of one unchanged panel (a 304)."""
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
    client = app.test_client()
    client.post("/auth/login", data={"email": "phone1@example.org", "password": PASSWORD})
    with app.app_context():
        engine = db.engine
    headers = {"HX-Request": "true"}
    panel = client.get(f"/events/{event_id}/live", headers=headers)
    seen = panel.text.split("/round?seen=", 1)[1].split('"', 1)[0]
    counted = []
    sa.event.listen(engine, "before_cursor_execute", lambda *args: counted.append(1))
    ask = client.get(f"/events/{event_id}/live/round?seen={seen}", headers=headers)
    asked = len(counted)
    again = client.get(
        f"/events/{event_id}/live", headers={**headers, "If-None-Match": panel.headers["ETag"]}
    )
    assert (ask.status_code, again.status_code) == (204, 304), (ask.status_code, again.status_code)
    return asked, len(counted) - asked


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
    """One attendee's phone, polling as the live page's htmx does (`way`):

    - "room": the tiny "did the room's round change?" ask every interval, the panel only when
      it answers so, and the panel (with its ETag) every PANEL_SECONDS anyway: the app's way;
    - "panel": the whole panel every interval, sending back its ETag (a 304 when unchanged);
    - "drawn": the whole panel every interval, without an ETag (every poll drawn);
    - "healthz": the floor, what any request through the app costs.
    """

    def __init__(self, base, email, event_id):
        super().__init__(base, email)
        self.live = f"/events/{event_id}/live"
        self.etag = None
        self.seen = None  # the round tag the panel shows: the tiny ask sends it back
        self.panel_at = 0.0
        self.saw_round = 0
        self.saw_new_round_at = None

    def tick(self, way: str) -> list[int]:
        """One poll; returns the status of each request it took."""
        if way == "healthz":
            return [self.fetch("/healthz")[0]]
        if way != "room" or time.monotonic() - self.panel_at >= PANEL_SECONDS:
            return [self.fetch_panel(use_etag=way != "drawn")]
        status, headers, _ = self.fetch(f"{self.live}/round?seen={self.seen}")
        if headers.get("HX-Trigger") == "live-changed":
            return [status, self.fetch_panel(use_etag=True)]
        return [status]

    def fetch_panel(self, use_etag: bool) -> int:
        extra = {"If-None-Match": self.etag} if use_etag and self.etag else {}
        status, headers, body = self.fetch(self.live, extra)
        self.panel_at = time.monotonic()
        if status == 200:
            self.etag = headers.get("ETag")
            self.seen = body.split("/round?seen=", 1)[1].split('"', 1)[0]
            number = int(body.split('data-round="', 1)[1].split('"', 1)[0])
            if number > self.saw_round:
                self.saw_round, self.saw_new_round_at = number, time.monotonic()
        return status

    def fetch(self, path: str, extra=None):
        """(status, headers, body) of one GET, as htmx sends it."""
        request = urllib.request.Request(
            self.base + path, headers={"HX-Request": "true", **(extra or {})}
        )
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:  # 304: unchanged
            return error.code, error.headers, ""
        return response.status, response.headers, response.read().decode()


def run_phase(phones, way, seconds, interval, at_half=None):
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
            taken = phone.tick(way)
            with lock:
                codes.extend(taken)
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
        phones = [
            Phone(base, f"phone{n}@example.org", event_id) for n in range(1, args.attendees + 1)
        ]
        host = Member(base, "phone0@example.org")
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda m: m.log_in(f"/events/{event_id}"), [*phones, host]))
        for phone in phones:
            phone.fetch_panel(use_etag=False)  # each phone has its panel, its ETag, its round
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
        for label, way, seconds, change in (
            ("the app: a round changes", "room", args.seconds, next_round),
            ("the app: nothing changes", "room", args.baseline_seconds, None),
            ("panel with ETag every poll", "panel", args.baseline_seconds, None),
            ("baseline: every poll drawn", "drawn", args.baseline_seconds, None),
            ("floor: /healthz, same rate", "healthz", args.baseline_seconds, None),
        ):
            pids = server_pids(process.pid)
            cpu_before = cpu_seconds(pids)
            codes, elapsed = run_phase(phones, way, seconds, args.interval, change)
            cpu = cpu_seconds(pids) - cpu_before
            asks = len(codes)
            errors = sum(code >= 400 and code != 304 for code in codes)
            unchanged = (codes.count(204) + codes.count(304)) / asks
            rows.append((label, asks, asks / elapsed, 1000 * cpu / asks, unchanged, errors))
        lags = [p.saw_new_round_at - published["at"] for p in phones if p.saw_round >= 2]
    finally:
        if process is not None:
            process.terminate()
            process.wait(timeout=30)
        drop()

    print(
        f"{args.attendees} phones polling every {args.interval:g} s, gunicorn {args.workers} "
        f"workers, PostgreSQL; SQL statements: {statements[0]} per unchanged round ask, "
        f"{statements[1]} per unchanged panel"
    )
    print(
        f"{'phase':28} {'requests':>8} {'per s':>6} {'CPU ms/request':>15} "
        f"{'204/304':>8} {'errors':>7}"
    )
    for label, asks, rate, cpu_ms, unchanged, errors in rows:
        print(f"{label:28} {asks:>8} {rate:>6.1f} {cpu_ms:>15.2f} {unchanged:>8.0%} {errors:>7}")
    floor = rows[-1][3]
    print(
        f"CPU per unchanged request ÷ /healthz: the app {rows[1][3] / floor:.2f}, "
        f"panel with ETag {rows[2][3] / floor:.2f}, every poll drawn {rows[3][3] / floor:.2f}"
    )
    print(
        f"phones that saw round 2: {len(lags)} of {len(phones)}; after publishing: median "
        f"{statistics.median(lags):.2f} s, slowest {max(lags):.2f} s "
        f"(interval {args.interval:g} s)"
    )


if __name__ == "__main__":
    main()
