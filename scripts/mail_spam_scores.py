"""Every kind of mail Spilno sends, scored by SpamAssassin's local tests (no network).

Builds a small community in a scratch SQLite database, drives the real flows (sign-up reset,
registration, waitlist, approval, cancellation, changes, reminders, coffee, surveys), turns
each queued message into the bytes the worker would send and prints a table of scores.
Needs Debian's `spamassassin`. Run: uv run python scripts/mail_spam_scores.py [--max 1.0]
"""

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.extensions import db
from app.models import CoffeeSubscription, OutboxMessage, Role
from app.models.types import utcnow
from app.services import accounts, coffee, registration, surveys
from app.services.events import EventDetails, cancel_event, create_event, update_event
from app.services.mail import build_email
from app.services.notifications import send_due_reminders

SENDER = "Спільно <noreply@spilno.org.ua>"


def person(name, email, locale="uk"):
    return accounts.create_user(email=email, name=name, password="a-long-password", locale=locale)


def details(start, **changes):
    values = {
        "title": "Нетворкінг-вечір: освіта, ІТ і культура — «Разом»",
        "description": "Знайомства між секторами. Приходьте з питанням, яке вас хвилює.",
        "format": "offline",
        "starts_at": start,
        "ends_at": start + timedelta(hours=2),
        "timezone": "Europe/Kyiv",
        "venue": "Мистецький арсенал",
        "address": "вул. Лаврська, 10",
        "city": "Київ",
        "online_url": "",
        "capacity": 2,
        "requires_approval": False,
        "registration_closes_at": None,
        "cohost_ids": [],
    }
    values.update(changes)
    return EventDetails(**values)


def drive_every_flow():
    now = utcnow()
    host = accounts.create_user(
        email="host@spilno.org.ua", name="Олена Ведуча", password="a-long-password", role=Role.HOST
    )
    people = [
        person("Марія Бойко", "maria@example.com"),
        person("Тарас Шевчук", "taras@example.com"),
        person("Ірина Коваль", "iryna@example.com"),
        person("Andrew Smith", "andrew@example.com", locale="en"),
    ]
    accounts.request_password_reset(people[0].email)

    event = create_event(host, details(now + timedelta(hours=20)))
    event.status = "published"
    db.session.flush()
    for member in people[:3]:  # two seats: the third waits
        registration.register(event.id, member)
    registration.cancel(event.id, people[1])  # a seat freed: the waitlist moves up
    update_event(event.id, host, details(now + timedelta(hours=21)))
    send_due_reminders(now)

    approval = create_event(host, details(now + timedelta(days=9), requires_approval=True))
    approval.status = "published"
    db.session.flush()
    pending = registration.register(approval.id, people[3])
    other = registration.register(approval.id, people[2])
    registration.reject(approval.id, other.id, "Ця зустріч лише для освітян.")
    registration.approve(approval.id, pending.id)
    cancel_event(approval.id)

    for member in people:
        db.session.add(CoffeeSubscription(user_id=member.id, format="online"))
    db.session.flush()
    coffee.run_coffee_round(now)

    past = create_event(host, details(now - timedelta(days=2)))
    past.status = "published"
    db.session.flush()
    for member in people[:2]:
        seat = registration.register(past.id, member, now=now - timedelta(days=3))
        seat.checked_in_at = now - timedelta(days=2)
    survey = surveys.building.create_survey(
        host,
        event=past,
        title="Як вам вечір?",
        anonymous=False,
        audience="checked_in",
        opens_at=now - timedelta(days=1),
        closes_at=None,
        with_template=True,
    )
    survey.scheduled = True
    surveys.invitations.send_due_invitations(now)
    surveys.invitations.send_due_invitations(
        now + surveys.invitations.REMIND_AFTER + timedelta(minutes=1)
    )
    db.session.commit()


def kind_of(message: OutboxMessage) -> str:
    if message.dedupe_key:
        return message.dedupe_key.split(":")[0]
    return message.subject.split(":")[0]


def score(raw: bytes) -> tuple[float, str]:
    result = subprocess.run(
        ["spamassassin", "-t", "-L"], input=raw, capture_output=True, check=False, timeout=120
    )
    headers = result.stdout.split(b"\n\n", 1)[0].decode(errors="replace")
    pattern = r"X-Spam-Status: \w+, score=(-?[\d.]+).*?tests=(.*?)autolearn"
    status = re.search(pattern, headers, re.S)
    if status is None:
        raise SystemExit("spamassassin gave no X-Spam-Status:\n" + result.stderr.decode())
    return float(status.group(1)), " ".join(status.group(2).replace(",", " ").split())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=float, default=1.0, help="fail above this score")
    args = parser.parse_args()
    if shutil.which("spamassassin") is None:
        raise SystemExit("Install Debian's spamassassin first.")
    with tempfile.TemporaryDirectory() as scratch:
        app = create_app(
            "test",
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{scratch}/mail.sqlite",
                "PUBLIC_URL": "https://spilno.org.ua",
                "MAIL_FROM": SENDER,
                "CALENDAR_ORGANIZER": SENDER,
            },
        )
        with app.app_context():
            upgrade()
            drive_every_flow()
            messages = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))
            rows, seen = [], set()
            for message in messages:
                kind = f"{kind_of(message)} ({message.ics_method or 'no .ics'})"
                if kind in seen:
                    continue
                seen.add(kind)
                rows.append((kind, *score(bytes(build_email(message, SENDER)))))
            db.engine.dispose()
    width = max(len(kind) for kind, *_ in rows)
    print(f"{'mail':<{width}}  score  rules")
    for kind, value, rules in rows:
        print(f"{kind:<{width}}  {value:5.1f}  {rules}")
    worst = max(value for _kind, value, _rules in rows)
    print(f"{len(rows)} kinds of mail; highest score {worst:.1f} (limit {args.max})")
    return 0 if worst <= args.max else 1


if __name__ == "__main__":
    sys.exit(main())
