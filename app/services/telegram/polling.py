"""Updates by long polling, for installations without public HTTPS (`flask telegram poll`),
and registering the webhook for those with it (`flask telegram set-webhook`)."""

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import Setting
from app.services import community
from app.services.telegram import conversation
from app.services.telegram.client import BotApi

OFFSET_KEY = "telegram.offset"  # the next update_id to ask for: Telegram forgets the rest
ALLOWED_UPDATES = ["message", "callback_query"]


def _offset() -> int:
    value = db.session.scalar(sa.select(Setting.value).where(Setting.key == OFFSET_KEY))
    return int(value) if value and value.isdigit() else 0


def poll_once(bot: BotApi, *, wait_seconds: int = 30) -> int:
    """Fetch and handle the waiting updates (waiting up to `wait_seconds` for the first);
    how many were handled. Each update is committed with the offset after it, so a stopped
    poller neither loses nor repeats one."""
    updates = bot.call(
        "getUpdates", offset=_offset(), timeout=wait_seconds, allowed_updates=ALLOWED_UPDATES
    )
    for update in updates or []:
        calls = conversation.handle_update(update)
        community.store_settings({OFFSET_KEY: update["update_id"] + 1})
        db.session.commit()
        conversation.send_replies(bot, calls)
    return len(updates or [])


def set_webhook(bot: BotApi) -> str:
    """Tell Telegram where to deliver updates, with the secret it must send back."""
    config = current_app.config
    url = f"{config['PUBLIC_URL']}/telegram/webhook/{config['TELEGRAM_WEBHOOK_SECRET']}"
    bot.call(
        "setWebhook",
        url=url,
        secret_token=config["TELEGRAM_WEBHOOK_SECRET"],
        allowed_updates=ALLOWED_UPDATES,
    )
    return url
