"""How Spilno's cost grows with the community: the demo community seeded at each size on
PostgreSQL, then the CPU of starting a command, of seeding, and of each page a person opens,
as a ratio to /healthz in the same process (the issue's target: at most 10× at 20,000). The
last table gives each figure's growth exponent between the smallest and largest size
(1 = linear).

Beyond the demo, each size gets one event with up to 2,000 registrations and one survey with
up to 5,000 responses, bulk-inserted, for the attendees page and the survey's results.

    uv run python benchmarks/scale.py [--sizes 1000 5000 20000] [--repeat 5]
"""

import argparse
import math
import resource
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import (  # noqa: E402
    Answer,
    Event,
    Question,
    Registration,
    Respondent,
    Response,
    Sector,
    Survey,
    User,
)
from app.models.types import utcnow  # noqa: E402
from app.services import demo  # noqa: E402
from tests.databases import postgres_database  # noqa: E402

EVENT_SEATS, SURVEY_RESPONSES = 2000, 5000


def startup_cpu() -> float:
    """CPU seconds of `flask --help` in a fresh process: loading the app and its commands."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", "--help"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def big_event_and_survey(members: int) -> tuple[int, int]:
    """An event with up to 2,000 registrations, and its survey with up to 5,000 responses."""
    now = utcnow()
    host = db.session.scalar(sa.select(User).where(User.email == demo.HOST_EMAIL))
    event = Event(
        title="Велика зустріч", starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3,
        hours=-3), status="published", capacity=None, city="Київ",
    )  # fmt: skip
    event.hosts = [host]
    db.session.add(event)
    db.session.flush()
    ids = db.session.scalars(sa.select(User.id).order_by(User.id).limit(SURVEY_RESPONSES)).all()
    db.session.execute(
        sa.insert(Registration),
        [{"event_id": event.id, "user_id": uid, "status": "confirmed", "checked_in_at": now}
         for uid in ids[:EVENT_SEATS]],
    )  # fmt: skip
    survey = Survey(title="Як усе пройшло?", event_id=event.id, created_by_id=host.id)
    survey.questions = [
        Question(kind="rating", text="Оцініть зустріч", position=1, required=True),
        Question(kind="text", text="Що запам'ятали?", position=2, required=False),
    ]
    db.session.add(survey)
    db.session.flush()
    rating, text = survey.questions
    db.session.execute(
        sa.insert(Respondent),
        [{"survey_id": survey.id, "user_id": uid, "answered_at": now} for uid in ids],
    )
    responses = [{"id": f"r{n:08d}", "survey_id": survey.id, "user_id": uid,
                  "submitted_on": now.date()} for n, uid in enumerate(ids)]  # fmt: skip
    db.session.execute(sa.insert(Response), responses)
    db.session.execute(
        sa.insert(Answer),
        [{"response_id": r["id"], "question_id": rating.id, "number": 1 + n % 5}
         for n, r in enumerate(responses)]
        + [{"response_id": r["id"], "question_id": text.id, "text": f"Запам'ятала розмову {n}"}
           for n, r in enumerate(responses) if n % 3 == 0],
    )  # fmt: skip
    db.session.commit()
    return event.id, survey.id


def cpu_of(client, path: str, repeat: int) -> float:
    """Median CPU milliseconds of GET `path` through the WSGI stack, after a warm-up."""
    assert client.get(path).status_code == 200, path
    spent = []
    for _ in range(repeat):
        start = time.process_time()
        response = client.get(path)
        b"".join(response.response)  # a streamed download is read to its end
        spent.append(time.process_time() - start)
        assert response.status_code == 200, path
    return statistics.median(spent) * 1000


def measure(size: int, repeat: int) -> dict[str, float]:
    figures = {"start a command (s)": startup_cpu()}
    with postgres_database() as url:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False})
        with app.app_context():
            upgrade()
            start = time.process_time()
            demo.seed_demo_community(members=size)
            db.session.commit()
            figures["demo seed (s)"] = time.process_time() - start
            demo.refresh_planner_statistics()
            event_id, survey_id = big_event_and_survey(size)
            sector = db.session.scalar(sa.select(Sector.id).limit(1))
            db.session.remove()
        client = app.test_client()
        client.post("/auth/login", data={"email": demo.ADMIN_EMAIL, "password": demo.DEMO_PASSWORD})
        healthz = cpu_of(client, "/healthz", repeat)
        pages = {
            "directory": "/members/",
            "directory, a search": "/members/?q=олена",
            "directory, a sector": f"/members/?sector={sector}",
            "events list": "/events/",
            "event page": f"/events/{event_id}",
            "attendees (2,000)": f"/events/{event_id}/attendees",
            "dashboard, a year": "/dashboard?days=365",
            "survey results (5,000)": f"/surveys/{survey_id}/results",
            "survey CSV (5,000)": f"/surveys/{survey_id}/results.csv",
        }
        figures["/healthz (ms)"] = healthz
        for name, path in pages.items():
            figures[f"{name} (× /healthz)"] = cpu_of(client, path, repeat) / healthz
        with app.app_context():
            db.engine.dispose()
    return figures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results = {size: measure(size, args.repeat) for size in args.sizes}
    names = list(results[args.sizes[0]])
    print(f"\n{'CPU, on PostgreSQL':36}" + "".join(f"{size:>10,}" for size in args.sizes)
          + f"{'exponent':>10}")  # fmt: skip
    small, large = args.sizes[0], args.sizes[-1]
    for name in names:
        row = "".join(f"{results[size][name]:10.2f}" for size in args.sizes)
        grows = ""
        if large > small and results[small][name] > 0:
            grows = f"{math.log(results[large][name] / results[small][name]) / math.log(large / small):10.2f}"  # noqa: E501
        print(f"{name:36}{row}{grows}")


if __name__ == "__main__":
    main()
