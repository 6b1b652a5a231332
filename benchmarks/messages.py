"""A message to 5,000 members on PostgreSQL: queued (target 5 s) and delivered through a real
SMTP server (aiosmtpd in this process; target 20 messages a second for one worker).

Baseline in the same process: smtplib alone handing the same server as many prepared
messages over one connection, which is the floor any delivery pays.

    uv run python benchmarks/messages.py [--members 5000] [--deliver 1000]
"""

import argparse
import smtplib
import socket
import sys
import time
import uuid
from contextlib import ExitStack
from email.message import EmailMessage
from pathlib import Path

import sqlalchemy as sa
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import OutboxMessage, User  # noqa: E402
from app.services import messages  # noqa: E402
from app.services.mail import SMTPTransport, deliver_due_messages  # noqa: E402
from tests.databases import postgres_database  # noqa: E402
from tests.smtp import Inbox  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5000)
    parser.add_argument("--deliver", type=int, default=1000)
    args = parser.parse_args()
    databases = ExitStack()
    url = databases.enter_context(postgres_database())
    port = free_port()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = create_app(
            "test",
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "MAIL_PER_SECOND": 0,
                "PUBLIC_URL": "https://spilno.example",
            },
        )
        with app.test_request_context():
            upgrade()
            db.session.execute(
                sa.insert(User),
                [
                    {"email": f"m{n}@example.org", "name": f"Учасник {n}",
                     "name_key": f"учасник {n}", "role": "admin" if n == 0 else "member",
                     "locale": "en" if n % 10 == 0 else "uk",
                     "organisation": "", "city": "", "languages": [], "bio": "", "contact": "",
                     "calendar_token": uuid.uuid4().hex}
                    for n in range(args.members)
                ],
            )  # fmt: skip
            db.session.commit()
            admin = db.session.scalar(sa.select(User).where(User.role == "admin"))
            draft = messages.Draft(
                subject="Новини спільноти",
                body_md="Привіт! **Зустрічаємося в четвер**.\n\n- раз\n- два\n\n[Сайт](https://example.org)",
                audience="everyone",
            )
            start = time.perf_counter()
            message = messages.create(admin, draft)
            db.session.commit()
            queued = time.perf_counter() - start
            recipients = message.recipients
            rows = db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage))

            start = time.perf_counter()
            report = deliver_due_messages(SMTPTransport("127.0.0.1", port), limit=args.deliver)
            delivered = time.perf_counter() - start

            sample = EmailMessage()
            sample["From"], sample["To"], sample["Subject"] = "a@example.org", "b@example.org", "x"
            sample.set_content("Привіт! " * 60)
            start = time.perf_counter()
            with smtplib.SMTP("127.0.0.1", port) as raw:
                for _ in range(args.deliver):
                    raw.send_message(sample)
            floor = time.perf_counter() - start
            db.session.remove()
            db.engine.dispose()
    finally:
        controller.stop()
        databases.close()  # the benchmark's database is dropped
    rate, floor_rate = report.sent / delivered, args.deliver / floor
    print(f"\nA message to {args.members} members, PostgreSQL, aiosmtpd")
    print(f"{'step':44} {'count':>7} {'seconds':>8} {'per second':>11}")
    lines = [
        ("queue: one outbox row per recipient", rows, queued, rows / queued),
        ("deliver: claim, send, mark sent (1 worker)", report.sent, delivered, rate),
        ("baseline: smtplib alone, one connection", args.deliver, floor, floor_rate),
    ]
    for step, count, seconds, per_second in lines:
        print(f"{step:44} {count:7d} {seconds:8.2f} {per_second:11.0f}")
    print(f"\nqueued in {queued:.1f} s (target 5 s); {rate:.0f} messages/s (target 20)")
    assert recipients == rows == args.members


if __name__ == "__main__":
    main()
