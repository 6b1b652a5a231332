"""Importing a member list of 5,000 rows on PostgreSQL: the upload, the preview, the worker.

The list is made as a Google Forms export (tests/member_lists.py); 500 of its people have
accounts already (their empty fields are filled), the rest are invited, each with an email
written to the outbox. Each round runs on a fresh database. Beside it, as a baseline in the
same process: reading the same file with the csv module alone, and inserting 5,000 plain
rows in one statement. Target: the worker's run within 30 s on 2 cores.

    uv run python benchmarks/import.py [--rows 5000] [--rounds 3]
"""

import argparse
import csv
import io
import sys
import time
import uuid
from contextlib import ExitStack
from pathlib import Path
from statistics import median

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Import, Invitation, OutboxMessage, User  # noqa: E402
from app.models.types import utcnow  # noqa: E402
from app.services.imports import checking, running  # noqa: E402
from tests.databases import postgres_database  # noqa: E402
from tests.member_lists import GOOGLE_FORMS_HEADER, csv_bytes, google_forms_rows  # noqa: E402


def one_round(rows: int, existing: int) -> dict[str, float]:
    databases = ExitStack()
    url = databases.enter_context(postgres_database())
    try:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "IMPORT_MAX_ROWS": rows})
        with app.app_context():
            upgrade()
            admin = User(email="admin@example.org", name="Адмін", name_key="адмін", role="admin")
            db.session.add(admin)
            db.session.execute(
                sa.insert(User),
                [
                    {"email": f"person{n}@example.org", "name": f"Людина {n}",
                     "name_key": f"людина {n}", "role": "member", "locale": "uk",
                     "organisation": "", "city": "", "languages": [], "bio": "",
                     "contact": "", "calendar_token": uuid.uuid4().hex}
                    for n in range(existing)
                ],
            )  # fmt: skip
            db.session.commit()
            data = csv_bytes(GOOGLE_FORMS_HEADER, google_forms_rows(rows))
            timings = {}

            start = time.perf_counter()
            list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
            timings["baseline: csv module reads the file"] = time.perf_counter() - start

            start = time.perf_counter()
            with app.test_request_context():
                job = running.upload(data, "responses.csv", admin)
                db.session.commit()
            timings["upload: read, guess, store"] = time.perf_counter() - start

            start = time.perf_counter()
            with app.test_request_context():
                preview = checking.check_rows(job.header, job.rows, job.mapping, True)
            timings["preview: every row checked"] = time.perf_counter() - start

            start = time.perf_counter()
            running.start(job)
            db.session.commit()
            running.run_waiting(utcnow())
            db.session.commit()
            timings["worker: invitations, updates, mail"] = time.perf_counter() - start

            start = time.perf_counter()
            db.session.execute(
                sa.insert(Invitation),
                [{"email": f"floor{n}@example.org", "name": "x", "locale": "uk", "profile": {},
                  "token": uuid.uuid4().hex, "times_sent": 0, "created_at": utcnow()}
                 for n in range(rows)],
            )  # fmt: skip
            db.session.commit()
            timings["baseline: one INSERT of as many rows"] = time.perf_counter() - start

            done = db.session.get(Import, job.id)
            invited = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))
            assert done.counts["invited"] == rows - existing == invited, done.counts
            assert preview.count("update") == existing
            db.session.remove()
            db.engine.dispose()
        return timings
    finally:
        databases.close()  # the benchmark's database is dropped


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--existing", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    rounds = [one_round(args.rows, args.existing) for _ in range(args.rounds)]
    print(f"\n{args.rows} rows ({args.existing} with accounts), PostgreSQL, {args.rounds} rounds")
    print(f"{'step':42} {'median s':>9} {'per row ms':>11}")
    for step in rounds[0]:
        value = median(r[step] for r in rounds)
        print(f"{step:42} {value:9.2f} {value / args.rows * 1000:11.3f}")
    worker = median(r["worker: invitations, updates, mail"] for r in rounds)
    print(f"\nworker run: {worker:.1f} s against a target of 30 s")


if __name__ == "__main__":
    main()
