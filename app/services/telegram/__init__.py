"""Telegram, the second channel beside email: the Bot API client, linking a chat to an
account, and the bot's side of the conversation."""

from flask import current_app


def enabled() -> bool:
    """Everything Telegram is hidden until the installation has a bot."""
    config = current_app.config
    return bool(config["TELEGRAM_BOT_TOKEN"] and config["TELEGRAM_BOT_USERNAME"])
