"""The outbox: queue mail inside the caller's transaction, deliver it later, exactly once."""

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import OutboxMessage
from app.models.types import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=6)


def queue_email(
    to: str,
    template: str,
    *,
    locale: str,
    dedupe_key: str | None = None,
    send_after: datetime | None = None,
    ics: str | None = None,
    ics_method: str | None = None,
    **context,
) -> OutboxMessage | None:
    """Write an email to the outbox in the current transaction; the caller commits.

    `template` names `emails/<template>.txt` and `.html`; the first line of the text
    template's output is the subject. Returns None when `dedupe_key` was queued before.
    """
    with force_locale(locale):
        text = render_template(f"emails/{template}.txt", **context)
        html = render_template(f"emails/{template}.html", **context)
    subject, _, text_body = text.partition("\n")
    message = OutboxMessage(
        to=to,
        subject=subject.strip(),
        text_body=text_body.strip() + "\n",
        html_body=html,
        ics=ics,
        ics_method=ics_method,
        dedupe_key=dedupe_key,
        send_after=send_after or utcnow(),
    )
    if dedupe_key is None:
        db.session.add(message)
        return message
    try:
        with db.session.begin_nested():  # a savepoint: a duplicate rolls back only itself
            db.session.add(message)
    except IntegrityError:
        return None
    return message


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    domain = sender.rpartition("@")[2].rstrip(">") or "spilno.local"
    email["Message-ID"] = make_msgid(idstring=f"outbox{message.id}", domain=domain)
    email.set_content(message.text_body)
    if message.html_body:
        email.add_alternative(message.html_body, subtype="html")
    if message.ics:
        method = message.ics_method or "PUBLISH"
        email.add_attachment(
            message.ics.encode(),
            maintype="text",
            subtype="calendar",
            filename="event.ics",
            params={"method": method},
        )
    return email


class SMTPTransport:
    def __init__(self, host, port, *, username="", password="", use_tls=False, timeout=10):
        self.host, self.port = host, port
        self.username, self.password = username, password
        self.use_tls, self.timeout = use_tls, timeout
        self._connection: smtplib.SMTP | None = None

    def send(self, email: EmailMessage) -> None:
        if self._connection is None:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.use_tls:
                connection.starttls()
            if self.username:
                connection.login(self.username, self.password)
            self._connection = connection
        try:
            self._connection.send_message(email)
        except (smtplib.SMTPServerDisconnected, OSError):
            self._connection = None
            raise

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self._connection.quit()
            self._connection = None


class FileTransport:
    """Development: each email becomes an .eml file a developer can open."""

    def __init__(self, directory):
        self.directory = Path(directory)

    def send(self, email: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        outbox_id = email["Message-ID"].strip("<>").split("@")[0].rsplit(".", 1)[-1]
        path = self.directory / f"{stamp}-{outbox_id}.eml"
        path.write_bytes(bytes(email))
        # The body goes to the log too, so a reset link can be clicked from the terminal.
        text = email.get_body(("plain",)).get_content()
        log.warning("Email to %s: %s (%s)\n%s", email["To"], email["Subject"], path, text)

    def close(self) -> None:
        pass


class MemoryTransport:
    """Tests: keeps what was sent in a list."""

    def __init__(self):
        self.sent: list[EmailMessage] = []

    def send(self, email: EmailMessage) -> None:
        self.sent.append(email)

    def close(self) -> None:
        pass


def transport_from_config(config):
    backend = config["MAIL_BACKEND"]
    if backend == "smtp":
        return SMTPTransport(
            config["MAIL_SERVER"],
            config["MAIL_PORT"],
            username=config["MAIL_USERNAME"],
            password=config["MAIL_PASSWORD"],
            use_tls=config["MAIL_USE_TLS"],
        )
    if backend == "file":
        return FileTransport(config["MAIL_FILE_DIR"])
    if backend == "memory":
        return MemoryTransport()
    raise RuntimeError(f"Unknown MAIL_BACKEND {backend!r}")


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failure, never more than six hours."""
    return min(FIRST_RETRY * 2 ** (attempts - 1), LONGEST_RETRY)


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0


def _claim_next_due(now: datetime) -> OutboxMessage | None:
    # One row at a time, locked until its commit: a second worker on PostgreSQL skips it,
    # and once committed it carries sent_at, so it is never picked again.
    query = (
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.send_after <= now,
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboxMessage.send_after, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return db.session.scalars(query).first()


def deliver_due_messages(transport, *, now: datetime | None = None, limit=500) -> DeliveryReport:
    """Send what is due. A failure pushes the message back; the rest still go out."""
    now = now or utcnow()
    sender = current_app.config["MAIL_FROM"]
    report = DeliveryReport()
    try:
        while report.sent + report.failed < limit:
            message = _claim_next_due(now)
            if message is None:
                db.session.rollback()
                break
            server_down = False
            try:
                transport.send(build_email(message, sender))
            except (smtplib.SMTPException, OSError) as error:
                # A refused recipient concerns one message; a dead connection concerns all.
                server_down = isinstance(
                    error, (OSError, smtplib.SMTPConnectError, smtplib.SMTPServerDisconnected)
                )
                message.attempts += 1
                message.last_error = f"{type(error).__name__}: {error}"[:1000]
                message.send_after = now + retry_delay(message.attempts)
                report.failed += 1
                log.warning("Email %s to %s failed: %s", message.id, message.to, error)
            else:
                message.sent_at = utcnow()
                message.attempts += 1
                report.sent += 1
            db.session.commit()
            if server_down:
                break
    finally:
        transport.close()
    return report
