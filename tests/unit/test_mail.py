"""The outbox against a real SMTP server (aiosmtpd) started inside the test."""

import email
import threading
from datetime import timedelta
from email import policy

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.extensions import db
from app.models import OutboxMessage
from app.models.types import utcnow
from app.services.mail import (
    FileTransport,
    SMTPTransport,
    deliver_due_messages,
    queue_email,
    retry_delay,
)
from tests.smtp import Inbox


def queue_reset_emails(make_user, count):
    users = [make_user(f"Людина {n}", email=f"reader{n}@example.org") for n in range(count)]
    for user in users:
        queue_email(
            user.email, "password_reset", locale="uk", user=user, link="http://x/", minutes=60
        )
    db.session.commit()
    return users


def test_messages_reach_a_real_smtp_server_once(app_ctx, make_user, smtp_server, smtp_port):
    queue_reset_emails(make_user, 3)
    report = deliver_due_messages(SMTPTransport("127.0.0.1", smtp_port))
    again = deliver_due_messages(SMTPTransport("127.0.0.1", smtp_port))

    assert (report.sent, report.failed, again.sent) == (3, 0, 0)
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "reader0@example.org",
        "reader1@example.org",
        "reader2@example.org",
    ]
    first = smtp_server.messages[0]
    assert first["Subject"] == "Спільно: відновлення пароля"
    assert "Відкрийте посилання" in first.get_body(("plain",)).get_content()
    assert first.get_body(("html",)) is not None
    assert db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))) == 0


def test_server_down_then_up_every_message_arrives_exactly_once(app_ctx, make_user, smtp_port):
    queue_reset_emails(make_user, 4)

    down = deliver_due_messages(SMTPTransport("127.0.0.1", smtp_port, timeout=2))
    assert down.sent == 0 and down.failed >= 1
    failed = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.attempts > 0)).all()
    assert all(m.last_error and m.send_after > utcnow() for m in failed)

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    try:
        # Not yet due again: the back-off holds the failed message back.
        early = deliver_due_messages(SMTPTransport("127.0.0.1", smtp_port))
        later = utcnow() + timedelta(hours=1)
        late = deliver_due_messages(SMTPTransport("127.0.0.1", smtp_port), now=later)
        after = deliver_due_messages(SMTPTransport("127.0.0.1", smtp_port), now=later)
    finally:
        controller.stop()

    assert early.sent + late.sent == 4 and after.sent == 0
    assert sorted(m["To"] for m in inbox.messages) == [f"reader{n}@example.org" for n in range(4)]


def test_a_dedupe_key_queues_a_message_only_once(app_ctx, make_user):
    user = make_user()
    queued = [
        queue_email(
            user.email,
            "password_reset",
            locale="en",
            dedupe_key="reminder:1",
            user=user,
            link="x",
            minutes=60,
        )
        for _ in range(2)
    ]
    db.session.commit()
    assert queued[0] is not None and queued[1] is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_retry_delay_backs_off_and_is_capped():
    delays = [retry_delay(n) for n in range(1, 12)]
    assert delays[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delays == sorted(delays)
    assert delays[-1] == timedelta(hours=6)


def test_development_backend_writes_eml_files(app_ctx, make_user, tmp_path):
    queue_reset_emails(make_user, 1)
    deliver_due_messages(FileTransport(tmp_path))
    files = list(tmp_path.glob("*.eml"))
    assert len(files) == 1
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert parsed["To"] == "reader0@example.org"


def test_two_workers_on_postgresql_never_send_one_message_twice(
    app_ctx, make_user, smtp_server, smtp_port
):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks with SKIP LOCKED are a PostgreSQL feature")
    queue_reset_emails(make_user, 30)

    def work():
        with app_ctx.app_context():
            deliver_due_messages(SMTPTransport("127.0.0.1", smtp_port))
            db.session.remove()

    workers = [threading.Thread(target=work) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)

    recipients = [m["To"] for m in smtp_server.messages]
    assert sorted(recipients) == sorted(f"reader{n}@example.org" for n in range(30))
