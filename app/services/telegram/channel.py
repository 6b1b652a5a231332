"""The community's Telegram channel (`TELEGRAM_CHANNEL_ID`, optional): each published event is
posted there once by the worker, with its cover when it has one, a link to its page and a
Register button; when the event is cancelled, the post is edited to say so.

Telegram allows a bot about 20 messages a minute in one channel
(https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this): a pass
posts a few, and the next pass the rest. A 429 ends the pass; the post waits for the next.
"""

import logging
import re
from datetime import datetime
from html import escape

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.i18n import event_when
from app.models import Event, EventFormat, EventStatus, TelegramPost
from app.models.types import utcnow
from app.services import pictures
from app.services.links import external_url
from app.services.telegram.buttons import EVERYONE, button, keyboard
from app.services.telegram.client import BotApi, TelegramError

POSTS_PER_PASS = 3
CAPTION_LIMIT = 1024  # a photo's caption, in characters
SUMMARY_LENGTH = 300

log = logging.getLogger("spilno.telegram")


def post_events(bot: BotApi, now: datetime | None = None) -> str:
    """One pass: cancellations edited first, then new events posted; what was done."""
    channel = current_app.config.get("TELEGRAM_CHANNEL_ID")
    if not channel:
        return "no channel set up"
    now = now or utcnow()
    edited = posted = 0
    try:
        for post, event in _cancelled_posts():
            _edit(bot, post, event)
            post.cancelled_at = now
            db.session.commit()
            edited += 1
        for event in _unposted(now):
            db.session.add(_post(bot, channel, event))
            db.session.commit()
            posted += 1
    except TelegramError as error:
        db.session.rollback()
        log.warning("telegram channel: %s; the rest waits for the next pass", error)
    return f"{posted} posted, {edited} marked cancelled"


def _unposted(now: datetime) -> list[Event]:
    return db.session.scalars(
        sa.select(Event)
        .outerjoin(TelegramPost, TelegramPost.event_id == Event.id)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at > now,
            TelegramPost.event_id.is_(None),
        )
        .order_by(Event.created_at, Event.id)
        .limit(POSTS_PER_PASS)
    ).all()


def _cancelled_posts() -> list[tuple[TelegramPost, Event]]:
    return db.session.execute(
        sa.select(TelegramPost, Event)
        .join(Event, TelegramPost.event_id == Event.id)
        .where(Event.status == EventStatus.CANCELLED, TelegramPost.cancelled_at.is_(None))
        .limit(POSTS_PER_PASS)
    ).all()


def post_text(event: Event, *, cancelled: bool = False) -> str:
    """The post, in the community's language, in Telegram HTML, within a caption's length."""
    language = current_app.config["BABEL_DEFAULT_LOCALE"]
    with force_locale(language):
        title = escape(event.title_in(language))
        where = (
            _("Online")
            if event.format == EventFormat.ONLINE
            else ", ".join(part for part in (event.venue, event.city) if part)
        )
        lines = [
            f"❌ <b>{_('Cancelled')}</b>\n<s>{title}</s>" if cancelled else f"<b>{title}</b>",
            f"🗓 {escape(event_when(event))}",
            f"📍 {escape(where)}" if where else "",
            escape(_summary(event, language)),
            external_url("events.event_page", event_id=event.id),
        ]
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= CAPTION_LIMIT else text[: CAPTION_LIMIT - 1] + "…"


def _summary(event: Event, language: str) -> str:
    """The description's first paragraph, its Markdown marks dropped, cut on a word."""
    source = (event.description_en or event.description) if language == "en" else event.description
    first = (source or "").strip().split("\n\n", 1)[0]
    plain = re.sub(r"[*_`#>\[\]]|\(https?://[^)]*\)", "", first).strip()
    if len(plain) <= SUMMARY_LENGTH:
        return plain
    return plain[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + "…"


def _post(bot: BotApi, channel: str, event: Event) -> TelegramPost:
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        buttons = keyboard([button(EVERYONE, _("Register"), "register", event.id)])
    text = post_text(event)
    cover = pictures.picture_path(event.cover, "wide") if event.cover else None
    if cover:
        with open(cover, "rb") as file:
            sent = bot.send_photo(channel, file.read(), text, reply_markup=buttons)
    else:
        sent = bot.send_message(channel, text, reply_markup=buttons)
    return TelegramPost(
        event_id=event.id,
        chat_id=str(channel),
        message_id=sent["message_id"],
        with_photo=cover is not None,
    )


def _edit(bot: BotApi, post: TelegramPost, event: Event) -> None:
    """The post says the event is cancelled, and its button is gone."""
    target = {"chat_id": post.chat_id, "message_id": post.message_id, "parse_mode": "HTML"}
    text = post_text(event, cancelled=True)
    no_buttons = {"inline_keyboard": []}
    try:
        if post.with_photo:
            bot.call("editMessageCaption", caption=text, reply_markup=no_buttons, **target)
        else:
            bot.call("editMessageText", text=text, reply_markup=no_buttons, **target)
    except TelegramError as error:
        if error.code != 400:  # 400: the post was deleted by hand, or says so already
            raise
        log.warning("telegram channel: post %s not edited: %s", post.message_id, error)
