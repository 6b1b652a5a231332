"""A small synchronous client of the Telegram Bot API, on httpx.

Why not python-telegram-bot or aiogram: both are built around asyncio, while Spilno's views
and worker are synchronous; the handful of methods Spilno calls are plain HTTPS POSTs with
JSON, documented at https://core.telegram.org/bots/api, and a client of ~50 lines on a
maintained HTTP library is easier to read than an event loop run inside a request.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    import httpx

# httpx is imported where a request is made: every command loads this module, few talk to
# Telegram. Timeouts in seconds; getUpdates long-polls for up to 30.
CONNECT_TIMEOUT, READ_TIMEOUT = 10.0, 40.0


@dataclass
class TelegramError(Exception):
    """What the Bot API answered instead of a result: 400 (bad request), 403 (the user
    blocked the bot), 429 (too many requests, with `retry_after` seconds), or no answer."""

    code: int
    description: str
    retry_after: int | None = None

    def __str__(self) -> str:
        return f"{self.code}: {self.description}"

    @property
    def blocked(self) -> bool:
        return self.code == 403


class BotApi:
    def __init__(self, token: str, base_url: str, client: httpx.Client | None = None):
        import httpx

        self.url = f"{base_url.rstrip('/')}/bot{token}/"
        self.http = client or httpx.Client(
            timeout=httpx.Timeout(CONNECT_TIMEOUT, read=READ_TIMEOUT)
        )

    def call(self, method: str, files: dict | None = None, **params):
        """The `result` of one Bot API method, or TelegramError. With `files` (name: (file
        name, bytes, type)), the request is multipart/form-data, as uploads must be, and
        the other parameters go as form fields (objects as JSON)."""
        import httpx

        payload = {key: value for key, value in params.items() if value is not None}
        try:
            if files:
                fields = {
                    key: json.dumps(value) if isinstance(value, dict | list) else str(value)
                    for key, value in payload.items()
                }
                response = self.http.post(self.url + method, data=fields, files=files)
            else:
                response = self.http.post(self.url + method, json=payload)
            answer = response.json()
        except (httpx.HTTPError, ValueError) as error:
            raise TelegramError(0, f"Telegram did not answer: {error}") from error
        if not answer.get("ok"):
            retry = (answer.get("parameters") or {}).get("retry_after")
            raise TelegramError(
                answer.get("error_code", response.status_code), answer.get("description", ""), retry
            )
        return answer.get("result")

    def send_message(self, chat_id: int, text: str, **options):
        return self.call("sendMessage", chat_id=chat_id, text=text, parse_mode="HTML", **options)

    def send_photo(self, chat_id, photo: bytes, caption: str, **options):
        photo_file = {"photo": ("cover.jpg", photo, "image/jpeg")}
        return self.call(
            "sendPhoto", files=photo_file, chat_id=chat_id, caption=caption, parse_mode="HTML",
            **options,
        )  # fmt: skip

    def send_document(self, chat_id, name: str, content: bytes, kind: str, **options):
        document = {"document": (name, content, kind)}
        return self.call("sendDocument", files=document, chat_id=chat_id, **options)

    def close(self) -> None:
        self.http.close()


def bot_from_config() -> BotApi:
    config = current_app.config
    return BotApi(config["TELEGRAM_BOT_TOKEN"], config["TELEGRAM_API_URL"])
