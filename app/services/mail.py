"""The outbox: queue mail inside the caller's transaction, deliver it later, exactly once."""

import contextlib
import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, formataddr, parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import OutboxMessage
from app.models.types import utcnow
from app.services import community, preferences
from app.services.telegram import buttons as telegram_buttons
from app.services.telegram import outbox as telegram_outbox
from app.services.text import header_text

SUBJECT_LENGTH = 255  # the outbox's column; a subject is cut on a word before it

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
    category: str | None = None,
    recipient_id: int | None = None,
    **context,
) -> OutboxMessage | None:
    """Write an email to the outbox in the current transaction; the caller commits.

    `template` names `emails/<template>.txt` and `.html`; the first line of the text
    template's output is the subject. Bulk mail names its `category` and `recipient_id`:
    it is not queued when the member turned the category off, and it carries a one-click
    unsubscribe link; a member who chose Telegram for the category gets a copy there too
    (app/services/telegram/outbox.py). Returns the email, or None when none was queued.
    """
    unsubscribe_url, chat_id, email = None, None, True
    if category is not None:
        email, chat_id = telegram_outbox.channels_for(recipient_id, category)
        if not email and chat_id is None:
            return None
        if category not in preferences.ALWAYS_BY_EMAIL:
            unsubscribe_url = preferences.unsubscribe_url(recipient_id, category)
    with force_locale(locale):
        text = render_template(f"emails/{template}.txt", unsubscribe_url=unsubscribe_url, **context)
        html = (
            render_template(f"emails/{template}.html", unsubscribe_url=unsubscribe_url, **context)
            if email
            else ""
        )
        # Telegram's copy: the same text, without the email's unsubscribe footer, with
        # buttons to act on it where it asks something.
        plain = render_template(f"emails/{template}.txt", **context) if chat_id else ""
        buttons = telegram_buttons.buttons_for(template, recipient_id, context) if chat_id else None
    subject, _, text_body = text.partition("\n")
    subject = header_text(subject, SUBJECT_LENGTH)
    if chat_id is not None:
        copy = telegram_outbox.telegram_message(
            chat_id,
            subject,
            telegram_outbox.telegram_text(subject, plain.partition("\n")[2]),
            buttons=buttons,
            dedupe_key=f"{dedupe_key}:telegram" if dedupe_key else None,
            send_after=send_after,
            ics=ics,
            ics_method=ics_method,
        )
        add_once(copy)
    if not email:
        return None
    message = OutboxMessage(
        to=to,
        subject=subject,
        text_body=text_body.strip() + "\n",
        html_body=html,
        ics=ics,
        ics_method=ics_method,
        unsubscribe_url=unsubscribe_url,
        dedupe_key=dedupe_key,
        send_after=send_after or utcnow(),
    )
    return add_once(message)


def add_once(message: OutboxMessage) -> OutboxMessage | None:
    """Add a message; one whose dedupe key is taken already is dropped, and None returned."""
    dedupe_key = message.dedupe_key
    if dedupe_key is None:
        db.session.add(message)
        return message
    try:
        with db.session.begin_nested():  # a savepoint: a duplicate rolls back only itself
            db.session.add(message)
    except IntegrityError:
        return None
    return message


class MailPolicy(EmailPolicy):
    """RFC 5322 with CRLF, except that a non-ASCII Subject is folded by `email.header`.

    Python 3.11's folder of encoded words puts the space between two words outside both
    encoded words, where readers drop it ("очікування:Тест"); `email.header.Header` keeps
    it inside. `fold` and `fold_binary` are the documented points of a policy to override.
    """

    def _subject(self, name, value) -> str | None:
        text = str(value)
        if name.lower() != "subject" or text.isascii():
            return None
        encoded = Header(text, "utf-8", header_name=name).encode(linesep=self.linesep)
        return f"{name}: {encoded}{self.linesep}"

    def fold(self, name, value):
        return self._subject(name, value) or super().fold(name, value)

    def fold_binary(self, name, value):
        folded = self._subject(name, value)
        return folded.encode("ascii") if folded else super().fold_binary(name, value)


MAIL_POLICY = MailPolicy(linesep="\r\n")


def message_id(message: OutboxMessage) -> str:
    """The same for every attempt to send one message, so a duplicate is recognised."""
    domain = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "spilno.local"
    stamp = int(message.created_at.timestamp()) if message.created_at else 0
    return f"<outbox.{message.id}.{stamp}@{domain}>"


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage(policy=MAIL_POLICY)
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = header_text(message.subject, SUBJECT_LENGTH)
    email["Date"] = format_datetime(message.send_after.astimezone(UTC))
    email["Message-ID"] = message_id(message)
    if message.unsubscribe_url:
        email["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
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
            params={"method": method, "charset": "UTF-8"},
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
        except Exception as error:
            # A refused address leaves the session usable (smtplib sends RSET); a dropped
            # or confused connection is closed, and the next message opens a new one.
            if not is_permanent(error) or is_server_down(error):
                self.close()
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
    failed: int = 0  # tried again later
    given_up: int = 0  # refused for good, or out of attempts

    def __str__(self) -> str:
        return f"{self.sent} sent, {self.failed} to retry, {self.given_up} given up"


def is_permanent(error: Exception) -> bool:
    """A 5xx answer about this message (a refused address, a refused body) will not change
    on a retry; a dropped connection or a 4xx answer ("try later") may."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return isinstance(error, (smtplib.SMTPNotSupportedError, UnicodeError, ValueError))


def is_server_down(error: Exception) -> bool:
    """The connection itself failed: the rest of this pass would fail the same way."""
    if isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)):
        return True
    # smtplib's own errors are OSErrors too; only the socket's mean the server is away.
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def claim_next_due(now: datetime, channel: str = "email") -> OutboxMessage | None:
    """The next message due on a channel, claimed in a commit of its own before it is sent.
    The row is locked while it is claimed, so a second worker on PostgreSQL skips it; once
    claimed it is never picked again, whatever happens to the worker."""
    query = (
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.channel == channel,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            OutboxMessage.claimed_at.is_(None),
            OutboxMessage.send_after <= now,
        )
        .order_by(OutboxMessage.send_after, OutboxMessage.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    message = db.session.scalars(query).first()
    if message is not None:
        message.claimed_at = utcnow()
        db.session.commit()
    return message


INTERRUPTED = "The worker stopped while sending it: not sent again, so nobody gets it twice."
CLAIM_LIFETIME = timedelta(minutes=10)


def give_up_interrupted(now: datetime) -> int:
    """Messages a stopped worker left claimed: the server may have taken them already, so
    they are marked failed, with why, rather than sent a second time."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.claimed_at < now - CLAIM_LIFETIME,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
        )
        .values(failed_at=now, last_error=INTERRUPTED)
    )
    return result.rowcount


def mark_sent(message: OutboxMessage, report: DeliveryReport) -> None:
    """The message left (by mail or Telegram): recorded and committed before the next."""
    message.sent_at = utcnow()
    message.attempts += 1
    db.session.commit()
    report.sent += 1


def _failed(message: OutboxMessage, error: Exception, now: datetime, report: DeliveryReport):
    message.attempts += 1
    message.claimed_at = None  # the server said no: nothing left, so it may be tried again
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    if is_permanent(error) or message.attempts >= MAX_ATTEMPTS:
        message.failed_at = now
        report.given_up += 1
        log.warning("Email %s to %s given up: %s", message.id, message.to, message.last_error)
    else:
        message.send_after = now + retry_delay(message.attempts)
        report.failed += 1
        log.warning("Email %s to %s will be retried: %s", message.id, message.to, error)


def sender_address(mail_from: str, community_name: str) -> str:
    """The configured sender's address under the community's own name."""
    _name, address = parseaddr(mail_from)
    return formataddr((community_name, address)) if address else mail_from


def deliver_due_messages(transport, *, now: datetime | None = None, limit=500) -> DeliveryReport:
    """Send what is due. A message that fails waits or is given up; the rest still go out.

    Each message is claimed in a commit before it is sent and marked sent right after the
    server took it: a worker killed in between leaves it claimed, and it is given up, never
    sent twice (`give_up_interrupted`). At most MAIL_PER_SECOND go out each second (0: as
    fast as the server takes them).
    """
    now = now or utcnow()
    sender = sender_address(current_app.config["MAIL_FROM"], community.load().name_uk)
    rate = current_app.config.get("MAIL_PER_SECOND", 0)
    report = DeliveryReport()
    next_slot = time.monotonic()
    try:
        while report.sent + report.failed + report.given_up < limit:
            if rate:
                time.sleep(max(0.0, next_slot - time.monotonic()))
                next_slot = max(next_slot, time.monotonic()) + 1 / rate
            message = claim_next_due(now)
            if message is None:
                db.session.rollback()
                break
            try:
                transport.send(build_email(message, sender))
            except Exception as error:  # whatever went wrong concerns this one message
                _failed(message, error, now, report)
                db.session.commit()
                if is_server_down(error):
                    break
                continue
            mark_sent(message, report)
    finally:
        transport.close()
    return report
