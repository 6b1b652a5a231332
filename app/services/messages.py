"""Messages from the team to people: a segment, everyone, or an event's people.

A message is written into the outbox as one row per recipient, in one statement: the body
is rendered once per language, and each copy gets its reader's name and their own one-click
unsubscribe link. Whoever turned announcements off is left out; whoever chose them in
Telegram gets a copy there too, in the same statement. The worker delivers the rows like any
mail, at the configured rate, and each row's dedupe key means nobody gets it twice.
"""

import html
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale

from app.extensions import db
from app.models import (
    Event,
    MailCategory,
    Message,
    MessageStatus,
    OutboxMessage,
    Preference,
    Registration,
    RegistrationStatus,
    Segment,
    TelegramLink,
    User,
)
from app.models.types import utcnow
from app.services import errors, segments, telegram
from app.services.links import external_url
from app.services.mail import queue_email
from app.services.preferences import EMAIL, TELEGRAM, unsubscribe_url
from app.services.segments import Criteria
from app.services.telegram.outbox import telegram_text
from app.services.text import header_text, markdown_to_html

DEDUPE_PREFIX = "message:"


@dataclass
class Draft:
    subject: str
    body_md: str
    audience: str  # everyone | segment | event
    segment_id: int | None = None
    event_id: int | None = None
    event_group: str = "confirmed"
    scheduled_at: datetime | None = None


def _event_people(event_id: int, group: str, now: datetime) -> sa.Select:
    query = sa.select(Registration.user_id).where(Registration.event_id == event_id)
    if group == "waitlisted":
        return query.where(Registration.status == RegistrationStatus.WAITLISTED)
    query = query.where(Registration.status == RegistrationStatus.CONFIRMED)
    if group == "checked_in":
        return query.where(Registration.checked_in_at.is_not(None))
    if group == "no_shows":
        ended = sa.select(Event.id).where(Event.id == event_id, Event.ends_at < now)
        return query.where(Registration.checked_in_at.is_(None), ended.exists())
    return query


def recipients(message: Message | Draft, now: datetime | None = None) -> sa.Select:
    """SELECT id, email, name, locale, by_email, chat of who gets it: confirmed addresses of
    active members. By email unless they turned announcements off; in Telegram (`chat`, the
    chat's id) when they chose announcements there and their chat is linked and working. A
    chat that broke (the bot blocked) hands what they wanted there over to email."""
    now = now or utcnow()
    if message.audience == "event":
        chosen = _event_people(message.event_id, message.event_group, now)
    else:
        segment = db.session.get(Segment, message.segment_id) if message.segment_id else None
        criteria = Criteria.from_json(segment.criteria) if segment else Criteria()
        chosen = segments.members(criteria, now=now)

    def chose(channel: str, enabled: bool):
        return (
            sa.select(Preference.user_id)
            .where(
                Preference.user_id == User.id,
                Preference.category == MailCategory.ANNOUNCEMENTS,
                Preference.channel == channel,
                Preference.enabled.is_(enabled),
            )
            .exists()
        )

    by_email = ~chose(EMAIL, False)
    chat = sa.null()
    if telegram.enabled():
        in_telegram = chose(TELEGRAM, True)
        working = TelegramLink.broken_at.is_(None)
        chat = sa.case((in_telegram & working, TelegramLink.chat_id), else_=None)
        by_email = by_email | (in_telegram & TelegramLink.broken_at.is_not(None))
    return (
        sa.select(
            User.id,
            User.email,
            User.name,
            User.locale,
            by_email.label("by_email"),
            chat.label("chat"),
        )
        .outerjoin(TelegramLink, TelegramLink.user_id == User.id)
        .where(
            User.id.in_(chosen),
            User.deleted_at.is_(None),
            User.email.is_not(None),
            User.email_confirmed_at.is_not(None),
            sa.or_(by_email, chat.is_not(None)),
        )
        .order_by(User.id)
    )


def count_recipients(message: Message | Draft) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(recipients(message).subquery()))


def _check(author: User, draft: Draft, now: datetime) -> None:
    if not draft.subject.strip():
        raise errors.MessageNeedsSubject()
    if draft.audience == "segment" and not draft.segment_id:
        raise errors.ChooseSegment()
    if draft.audience == "segment":
        segment = db.session.get(Segment, draft.segment_id)
        if segment is not None and segment.criteria.get("invited"):
            raise errors.InvitedAreNotMembers()
    if draft.audience == "event":
        event = db.session.get(Event, draft.event_id) if draft.event_id else None
        if event is None:
            raise errors.ChooseEvent()
        if not event.is_hosted_by(author):
            raise errors.NotYourEvent()
    elif not author.is_admin:
        raise errors.NotYourEvent()  # a host writes to their own events' people only
    if draft.scheduled_at is not None and draft.scheduled_at <= now:
        raise errors.ScheduledInThePast()
    if count_recipients(draft) == 0:
        raise errors.NobodyToWrite()


def create(author: User, draft: Draft, *, now: datetime | None = None) -> Message:
    """Checked and saved: written to the outbox now, or scheduled for the worker."""
    now = now or utcnow()
    _check(author, draft, now)
    message = Message(
        author_id=author.id,
        subject=draft.subject.strip()[:200],
        body_md=draft.body_md.strip(),
        body_html=markdown_to_html(draft.body_md),
        audience=draft.audience,
        segment_id=draft.segment_id if draft.audience == "segment" else None,
        event_id=draft.event_id if draft.audience == "event" else None,
        event_group=draft.event_group if draft.audience == "event" else "",
        scheduled_at=draft.scheduled_at,
        status=MessageStatus.SCHEDULED if draft.scheduled_at else MessageStatus.DRAFT,
    )
    db.session.add(message)
    db.session.flush()
    if not draft.scheduled_at:
        queue(message, now=now)
    return message


def _render(message: Message, locale: str, name: str, unsubscribe: str) -> tuple[str, str, str]:
    """The email's text and HTML, and the Telegram copy (the text without the email's footer)."""
    with force_locale(locale):
        context = {"message": message, "name": name, "unsubscribe_url": unsubscribe}
        text = render_template("emails/message.txt", **context)
        page = render_template("emails/message.html", **context)
    body = text.partition("\n")[2].rsplit("\n--\n", 1)[0]
    return text, page, telegram_text(header_text(message.subject, 255), body)


def queue(message: Message, *, now: datetime | None = None) -> int:
    """Every recipient's copy into the outbox (an email, a Telegram message or both), in one
    statement; to how many people."""
    now = now or utcnow()
    # Rendered once per language with stand-ins, which each copy replaces with its own.
    name_mark, link_mark = f"@@name-{secrets.token_hex(6)}@@", f"@@link-{secrets.token_hex(6)}@@"
    rendered = {}
    rows = []
    people = 0
    for user_id, email, name, locale, by_email, chat in db.session.execute(
        recipients(message, now)
    ):
        if locale not in rendered:
            rendered[locale] = _render(message, locale, name_mark, link_mark)
        text, page, in_telegram = rendered[locale]
        people += 1
        common = {"send_after": now, "created_at": now, "attempts": 0}
        key = f"{DEDUPE_PREFIX}{message.id}:{user_id}"
        if chat is not None:
            rows.append(
                {
                    "channel": "telegram",
                    "to": str(chat),
                    "subject": header_text(message.subject, 255),
                    "text_body": in_telegram.replace(name_mark, html.escape(name)),
                    "html_body": "",
                    "dedupe_key": f"{key}:telegram",
                    **common,
                }
            )
        if not by_email:
            continue
        link = unsubscribe_url(user_id, MailCategory.ANNOUNCEMENTS)
        rows.append(
            {
                "channel": "email",
                "to": email,
                "subject": header_text(message.subject, 255),
                "text_body": text.replace(name_mark, name).replace(link_mark, link),
                "html_body": page.replace(name_mark, html.escape(name)).replace(
                    link_mark, html.escape(link)
                ),
                "unsubscribe_url": link,
                "dedupe_key": key,
                **common,
            }
        )
    if rows:
        db.session.execute(sa.insert(OutboxMessage), rows)
    message.status, message.queued_at, message.recipients = MessageStatus.SENT, now, people
    return people


def send_test(author: User, draft: Draft) -> None:
    """The message as its readers will get it, to its author alone."""
    preview = Message(subject=draft.subject, body_md=draft.body_md)
    preview.body_html = markdown_to_html(draft.body_md)
    queue_email(
        author.email,
        "message",
        locale=author.locale,
        message=preview,
        name=author.name,
        test=True,
    )


def preview(draft: Draft, locale: str, name: str) -> str:
    message = Message(subject=draft.subject, body_md=draft.body_md)
    message.body_html = markdown_to_html(draft.body_md)
    return _render(message, locale, name, external_url("preferences.preferences_page"))[1]


def send_due(now: datetime) -> int:
    """The worker's duty: scheduled messages whose time has come."""
    due = db.session.scalars(
        sa.select(Message).where(
            Message.status == MessageStatus.SCHEDULED, Message.scheduled_at <= now
        )
    ).all()
    for message in due:
        queue(message, now=now)
    return len(due)


@dataclass
class Delivery:
    recipients: int
    sent: int
    failed: int
    waiting: int
    errors: list[tuple[str, str]]
    unsubscribed_since: int


def delivery(message: Message) -> Delivery:
    mine = OutboxMessage.dedupe_key.startswith(f"{DEDUPE_PREFIX}{message.id}:")
    sent, failed, total = db.session.execute(
        sa.select(
            sa.func.count(OutboxMessage.sent_at),
            sa.func.count(OutboxMessage.failed_at),
            sa.func.count(),
        ).where(mine)
    ).one()
    errors_seen = db.session.execute(
        sa.select(OutboxMessage.to, OutboxMessage.last_error)
        .where(mine, OutboxMessage.failed_at.is_not(None))
        .limit(20)
    ).all()
    unsubscribed = 0
    if message.queued_at:
        got = sa.select(User.id).where(User.email.in_(sa.select(OutboxMessage.to).where(mine)))
        unsubscribed = db.session.scalar(
            sa.select(sa.func.count()).where(
                Preference.user_id.in_(got),
                Preference.category == MailCategory.ANNOUNCEMENTS,
                Preference.enabled.is_(False),
                Preference.changed_at >= message.queued_at,
            )
        )
    return Delivery(
        recipients=message.recipients,
        sent=sent,
        failed=failed,
        waiting=total - sent - failed,
        errors=[(to, error or "") for to, error in errors_seen],
        unsubscribed_since=unsubscribed,
    )


def messages_of(author: User) -> list[Message]:
    query = sa.select(Message).order_by(Message.created_at.desc(), Message.id.desc())
    if not author.is_admin:
        query = query.where(Message.author_id == author.id)
    return list(db.session.scalars(query.limit(100)))


def announcements(limit: int = 30) -> list[Message]:
    """What the team said to everyone, newest first: the members' page of news."""
    query = (
        sa.select(Message)
        .where(Message.status == MessageStatus.SENT, Message.audience == "everyone")
        .order_by(Message.queued_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
