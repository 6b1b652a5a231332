"""Survey results at scale: 10 questions, up to 5,000 responses.

Prints, for each number of responses, the median time of the results page and of the CSV
export (through the WSGI stack, as the survey's host) and how many SQL statements each made:
aggregates are computed in SQL, so the count must stay the same as responses grow.

    uv run python benchmarks/surveys.py [--responses 50 500 5000] [--database URL]
"""

import argparse
import random
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask_migrate import upgrade
from werkzeug.security import generate_password_hash

from app import create_app
from app.extensions import db
from app.models import Answer, Event, Question, Response, Survey, User
from app.models.types import utcnow
from benchmarks.page_timing import time_page

KINDS = ["rating", "nps", "single", "multiple", "text"] * 2
PASSWORD = "benchmark-password"


def build(app, responses: int, rng: random.Random) -> tuple[int, str]:
    with app.app_context():
        host = User(
            email=f"host{responses}@example.org",
            password_hash=generate_password_hash(PASSWORD, method="scrypt:1024:8:1"),
            name="Host",
            name_key="host",
            role="host",
        )
        start = utcnow() - timedelta(days=1)
        event = Event(
            title="Bench",
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue="Хаб",
            status="published",
        )
        event.hosts = [host]
        db.session.add_all([host, event])
        db.session.flush()
        survey = Survey(
            event_id=event.id, title=f"Bench {responses}", scheduled=True, opens_at=start
        )
        survey.questions = [
            Question(
                kind=kind,
                text=f"Question {n} ({kind})",
                options=["A", "B", "C", "D"] if kind in ("single", "multiple") else [],
                position=n,
            )
            for n, kind in enumerate(KINDS)
        ]
        db.session.add(survey)
        db.session.flush()
        response_rows, answer_rows = [], []
        for n in range(responses):
            rid = f"{responses:08x}{n:024x}"
            response_rows.append(
                {"id": rid, "survey_id": survey.id, "user_id": None, "submitted_on": None}
            )
            for question in survey.questions:
                row = {
                    "response_id": rid,
                    "question_id": question.id,
                    "option": -1,
                    "number": None,
                    "text": None,
                }
                if question.kind == "rating":
                    row["number"] = rng.randint(1, 5)
                elif question.kind == "nps":
                    row["number"] = rng.randint(0, 10)
                elif question.kind == "single":
                    row["option"] = rng.randint(0, 3)
                elif question.kind == "multiple":
                    for option in rng.sample(range(4), 2):
                        answer_rows.append({**row, "option": option})
                    continue
                else:
                    row["text"] = rng.choice(["Люди", "Кава", "Формат", "Місце"]) + f" {n % 37}"
                answer_rows.append(row)
        db.session.execute(sa.insert(Response), response_rows)
        db.session.execute(sa.insert(Answer), answer_rows)
        db.session.commit()
        return survey.id, host.email


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, nargs="+", default=[50, 500, 5000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database", help="a SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database or f"sqlite:///{tmp}/surveys.sqlite"
        app = create_app(
            "test",
            {"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False},
        )
        with app.app_context():
            upgrade()
        rng = random.Random(5)
        print(f"{'responses':>9}  {'page':<13} {'median ms':>10} {'queries':>8}")
        for count in args.responses:
            survey_id, host_email = build(app, count, rng)
            client = app.test_client()
            with app.app_context():
                engine = db.engine
            client.post("/auth/login", data={"email": host_email, "password": PASSWORD})
            for label, path in (
                ("results", f"/surveys/{survey_id}/results"),
                ("CSV export", f"/surveys/{survey_id}/results.csv"),
            ):
                median, queries = time_page(client, engine, path, args.repeat)
                print(f"{count:>9}  {label:<13} {median:>10.1f} {queries:>8}")


if __name__ == "__main__":
    main()
