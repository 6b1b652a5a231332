"""The bot's side of the conversation: what Spilno answers to an update from Telegram.

`handle_update` takes one Update (https://core.telegram.org/bots/api#update) as JSON and
returns the Bot API calls that answer it; the caller makes them after the transaction
commits. Private messages and taps on the bot's buttons (callback queries,
app/services/telegram/actions.py) are read; every other kind of update is left alone, which
Telegram takes as handled."""

from html import escape as escape_html

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from app.branding import current_community
from app.extensions import db
from app.services.telegram import actions, linking
from app.services.telegram.actions import Call
from app.services.telegram.client import TelegramError


def handle_update(update: dict) -> list[Call]:
    if isinstance(update.get("callback_query"), dict):
        return actions.handle_callback(update["callback_query"])
    message = update.get("message")
    if not isinstance(message, dict):
        return []  # an edited message, a channel post, a callback of another kind…
    chat = actions.part_of(message, "chat")
    text = message.get("text")
    if chat.get("type") != "private" or not isinstance(chat.get("id"), int):
        return []
    if not isinstance(text, str):
        return [_say(chat["id"], _instructions(_language(message)))]
    command, _space, argument = text.strip().partition(" ")
    command = command.split("@", 1)[0]  # "/start@spilno_bot" in groups
    if command == "/start" and argument:
        return [_start(chat["id"], argument.strip(), _language(message))]
    if command == "/stop":
        return [_stop(chat["id"], _language(message))]
    return [_say(chat["id"], _instructions(_language(message)))]


def _say(chat_id: int, text: str) -> Call:
    return "sendMessage", {"chat_id": chat_id, "text": text, "parse_mode": "HTML"}


def _language(message: dict) -> str:
    return actions.language_of(message.get("from"))


def _start(chat_id: int, token: str, language: str) -> Call:
    user = linking.link_chat(token, chat_id)
    if user is None:
        with force_locale(language):
            return _say(
                chat_id,
                _(
                    "This link has expired or was already used. Open your profile on the "
                    "community's site and tap “Connect Telegram” again."
                ),
            )
    with force_locale(user.locale):
        community = escape_html(current_community().name(user.locale))
        return _say(
            chat_id,
            _(
                "Hello, %(name)s! This chat is now linked to your account in %(community)s. "
                "To disconnect, send /stop.",
                name=f"<b>{escape_html(user.name)}</b>",
                community=community,
            ),
        )


def _stop(chat_id: int, language: str) -> Call:
    user = linking.unlink_chat(chat_id)
    return goodbye(chat_id, user) if user else _say(chat_id, _instructions(language))


def _instructions(language: str) -> str:
    """What an unlinked chat, or an unknown command, is told: how to link, nothing else."""
    with force_locale(language):
        return _(
            "Hello! This is the bot of %(community)s. To get messages here, open your profile "
            "on the community's site and tap “Connect Telegram”.",
            community=escape_html(current_community().name(language)),
        )


def send_replies(bot, calls: list[Call]) -> None:
    """Make the calls `handle_update` answered. A chat that blocked the bot is marked broken;
    any other failure is logged and dropped: an answer to a tap or a command is not worth a
    retry (a button not answered stops its spinner by itself)."""
    for method, params in calls:
        try:
            bot.call(method, **params)
        except TelegramError as error:
            if error.blocked and "chat_id" in params:
                linking.mark_broken(params["chat_id"])
                db.session.commit()
            else:
                current_app.logger.warning("telegram: %s failed: %s", method, error)


def goodbye(chat_id: int, user) -> Call:
    """Said in the chat when the member disconnects, from the site or with /stop."""
    with force_locale(user.locale):
        return _say(
            chat_id, _("This chat is no longer linked to your account. Messages go by email again.")
        )
