"""The Telegram copy of a notification: who gets one, and its text.

A member's Telegram copy of a kind of message (`MailCategory`) is written into the outbox
beside the email, in the same transaction, when Telegram is set up, their chat is linked
and working, and they chose Telegram for that kind. When the bot is blocked (the link is
broken), email takes over what they chose to get in Telegram."""

import json
from datetime import datetime
from html import escape

from app.models import OutboxMessage
from app.models.types import utcnow
from app.services import preferences, telegram
from app.services.telegram import linking

LIMIT = 4096  # Telegram's longest message, in characters


def channels_for(user_id: int, category: str) -> tuple[bool, int | None]:
    """(send the email?, the chat to send a Telegram copy to, or None)."""
    email = preferences.wants(user_id, category)
    if not telegram.enabled():
        return email, None
    link = linking.link_of(user_id)
    chosen = link is not None and preferences.wants(user_id, category, preferences.TELEGRAM)
    if not chosen:
        return email, None
    if link.broken_at is not None:
        return True, None  # they wanted it in Telegram, which no longer delivers
    return email, link.chat_id


def telegram_message(
    chat_id: int,
    subject: str,
    text: str,
    *,
    buttons: dict | None = None,
    dedupe_key: str | None = None,
    send_after: datetime | None = None,
    ics: str | None = None,
    ics_method: str | None = None,
) -> OutboxMessage:
    """An outbox row for one chat: `text` in Telegram HTML, with buttons under it and, for a
    calendar entry, the .ics sent beside it as a file."""
    return OutboxMessage(
        channel="telegram",
        to=str(chat_id),
        subject=subject,
        text_body=text,
        reply_markup=json.dumps(buttons) if buttons else None,
        ics=ics,
        ics_method=ics_method,
        dedupe_key=dedupe_key,
        send_after=send_after or utcnow(),
    )


def telegram_text(subject: str, body: str) -> str:
    """The email's subject in bold and its plain text, escaped for Telegram's HTML mode."""
    text = f"<b>{escape(subject.strip())}</b>\n\n{escape(body.strip())}"
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"
