"""A worker killed in the middle of a message to many people, then started again: nobody
gets it twice (PostgreSQL, a real worker process, a real SMTP server)."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.extensions import db
from app.models import OutboxMessage
from app.models.types import utcnow
from app.services import messages
from app.services.mail import INTERRUPTED, SMTPTransport, deliver_due_messages, give_up_interrupted
from tests.smtp import Inbox

PEOPLE = 40
PATIENCE = 120  # seconds a slow machine may take to deliver the first few; never a measure


class SlowInbox(Inbox):
    """Takes a moment over each message, as a real server does, so the kill lands mid-send."""

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0.05)
        return await super().handle_DATA(server, session, envelope)


def test_a_worker_killed_mid_send_sends_nobody_a_message_twice(app, make_user, migrated, smtp_port):
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        pytest.skip("a second process on the same database is tested on PostgreSQL")
    people = [make_user(f"Учасник {n}", email=f"reader{n}@example.org") for n in range(PEOPLE)]
    admin = make_user("Олена Адмін", role="admin", email="admin@example.org")
    with app.app_context():
        messages.create(
            admin, messages.Draft(subject="Новини", body_md="Привіт!", audience="everyone")
        )
        db.session.commit()
    inbox = SlowInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    env = {
        **os.environ,
        "SPILNO_ENV": "development",
        "DATABASE_URL": migrated,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_USE_TLS": "false",
        "PUBLIC_URL": "http://spilno.test",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "app", "worker", "--interval", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + PATIENCE
        while len(inbox.messages) < 10 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(inbox.messages) >= 10, "the worker delivered nothing"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
        killed_after = len(inbox.messages)
        assert killed_after < PEOPLE + 1  # it was stopped in the middle
        # Started again later: what it left claimed is given up, the rest goes out once.
        with app.app_context():
            give_up_interrupted(utcnow() + timedelta(minutes=11))
            db.session.commit()
            deliver_due_messages(SMTPTransport("127.0.0.1", smtp_port))
            outbox = db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.to.like("reader%"))
            ).all()
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)
        controller.stop()
    received = Counter(message["To"] for message in inbox.messages)
    assert max(received.values()) == 1  # nobody twice
    # The one in the server's hands when the worker died may have arrived or not; it is
    # given up either way. Everyone else got it exactly once.
    interrupted = {m.to for m in outbox if m.last_error == INTERRUPTED}
    assert len(interrupted) <= 1
    for person in people:
        assert received[person.email] == 1 or person.email in interrupted
    assert all(m.sent_at or m.last_error == INTERRUPTED for m in outbox)
