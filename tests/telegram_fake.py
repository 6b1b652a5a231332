"""A fake Telegram Bot API: a real HTTP server in the test process that answers the methods
Spilno calls the way https://core.telegram.org/bots/api documents them.

- Every request is `POST /bot<token>/<method>` with JSON; every answer is
  `{"ok": true, "result": …}` or `{"ok": false, "error_code": …, "description": …}`.
- A wrong token gets 401; a missing required parameter gets 400.
- A chat whose person blocked the bot gets 403 "Forbidden: bot was blocked by the user".
- Past the limits (30 messages a second overall; in one chat, a short burst of three, then
  one a second), it answers 429 with `parameters.retry_after`, as Telegram does, and counts
  how often.
- `getUpdates` hands out queued updates by `offset`, as long polling does.
- It keeps what each chat shows: `editMessageText` changes a message it sent (400 when there
  is no such message, or when nothing would change), and `tap` is a person tapping a button
  under one, as the `callback_query` update Telegram would send; `answerCallbackQuery` takes
  only the id of a tap it handed out.
"""

import html
import json
import re
import threading
import time
from collections import deque
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "123456:TEST-TOKEN"
SENDING = {"sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageCaption"}
REQUIRED = {
    "sendMessage": ("chat_id", "text"),
    "sendPhoto": ("chat_id", "photo"),
    "sendDocument": ("chat_id", "document"),
    "editMessageCaption": ("chat_id", "message_id"),
    "editMessageText": ("text",),
    "answerCallbackQuery": ("callback_query_id",),
    "setWebhook": ("url",),
}


class FakeTelegram:
    def __init__(self, *, chat_burst: int = 3, overall_per_second: float = 30.0):
        self.calls: list[tuple[str, dict]] = []  # every request
        self.delivered: list[tuple[str, dict]] = []  # the sends Telegram accepted
        self.blocked: set[int] = set()
        self.updates: deque[dict] = deque()
        self.next_update_id = 1
        self.next_message_id = 1
        self.too_many = 0  # how many 429s it answered
        self.webhook: dict = {}
        self.shown: dict[tuple[int, int], dict] = {}  # (chat, message id): what it shows
        self.taps: dict[str, dict] = {}  # callback query id: the tap, answered or not
        self.next_tap_id = 1
        self.down = False  # answer 502 to everything, as when Telegram is unreachable
        self.chat_burst = chat_burst
        self.overall = overall_per_second
        self._per_chat: dict[int, deque[float]] = {}
        self._recent: deque[float] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # --- what a test does -----------------------------------------------------------------

    def start(self) -> "FakeTelegram":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[dict]:
        """What reached the chats: the sends Telegram accepted, oldest first."""
        with self._lock:
            return [
                params
                for name, params in self.delivered
                if name == method and (chat_id is None or params.get("chat_id") == chat_id)
            ]

    def queue_update(self, update: dict) -> dict:
        with self._lock:
            update = {"update_id": self.next_update_id, **update}
            self.next_update_id += 1
            self.updates.append(update)
            return update

    def new_update_id(self) -> int:
        with self._lock:
            self.next_update_id += 1
            return self.next_update_id - 1

    def tap(self, chat_id: int, label: str, *, by: int | None = None) -> dict:
        """The update Telegram sends when `by` (the chat's person by default) taps the
        button labelled `label` under the newest message in the chat that has one."""
        with self._lock:
            for key, message in sorted(self.shown.items(), key=lambda item: -item[0][1]):
                chat, message_id = key
                rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
                found = [b for row in rows for b in row if b["text"] == label and chat == chat_id]
                if found:
                    break
            else:
                raise AssertionError(f"no button {label!r} in chat {chat_id}")
            query_id = str(self.next_tap_id)
            self.next_tap_id += 1
            self.taps[query_id] = {}
            person = by or chat_id
            text = html.unescape(re.sub(r"<[^>]+>", "", message["text"]))  # entities dropped
            private = isinstance(chat, int) and chat > 0
            shown = {"date": int(time.time()), "caption" if "photo" in message else "text": text}
            return {
                "callback_query": {
                    "id": query_id,
                    "from": {"id": person, "is_bot": False, "first_name": "Тест",
                             "language_code": "uk"},
                    "message": {"message_id": message_id, **shown,
                                "chat": {"id": chat, "type": "private" if private else "channel"}},
                    "chat_instance": str(chat),
                    "data": found[0]["callback_data"],
                }
            }  # fmt: skip

    def _newest(self, chat_id) -> tuple | None:
        """The newest message in the chat that says something (not a file)."""
        keys = [k for k, shown in self.shown.items() if k[0] == chat_id and "document" not in shown]
        return max(keys, default=None)

    def buttons(self, chat_id: int) -> list[str]:
        """The labels of the buttons under the newest message in the chat."""
        with self._lock:
            newest = self._newest(chat_id)
            markup = self.shown[newest].get("reply_markup") if newest else None
            return [b["text"] for row in (markup or {}).get("inline_keyboard", []) for b in row]

    def shows(self, chat_id: int) -> str:
        """The text of the newest message in the chat, as it reads now."""
        with self._lock:
            return self.shown[self._newest(chat_id)]["text"]

    # --- the Bot API ----------------------------------------------------------------------

    def answer(self, method: str, params: dict) -> tuple[int, dict]:
        with self._lock:
            self.calls.append((method, params))
            if self.down:
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway"}
            missing = [name for name in REQUIRED.get(method, ()) if name not in params]
            if missing:
                return 400, _error(400, f"Bad Request: {missing[0]} is empty")
            if method in SENDING:
                return self._send(method, params)
            if method == "getUpdates":
                offset = params.get("offset", 0)
                while self.updates and self.updates[0]["update_id"] < offset:
                    self.updates.popleft()
                return 200, {"ok": True, "result": list(self.updates)[: params.get("limit", 100)]}
            if method == "setWebhook":
                self.webhook = params
                return 200, {"ok": True, "result": True, "description": "Webhook was set"}
            if method == "getMe":
                return 200, {"ok": True, "result": {"id": 1, "is_bot": True,
                                                    "username": "spilno_test_bot"}}  # fmt: skip
            if method == "answerCallbackQuery":
                if params["callback_query_id"] not in self.taps:
                    return 400, _error(400, "Bad Request: query is too old and response "
                                            "timeout expired or query ID is invalid")  # fmt: skip
                self.taps[params["callback_query_id"]] = params
                return 200, {"ok": True, "result": True}
            return 404, _error(404, "Not Found: method not found")

    def _send(self, method: str, params: dict) -> tuple[int, dict]:
        chat_id = params.get("chat_id")
        if method in ("editMessageText", "editMessageCaption"):
            return self._edit(method, params)
        if chat_id in self.blocked:
            return 403, _error(403, "Forbidden: bot was blocked by the user")
        now = time.monotonic()
        in_chat = self._per_chat.setdefault(chat_id, deque())
        for window in (self._recent, in_chat):
            while window and now - window[0] >= 1.0:
                window.popleft()
        if len(self._recent) >= self.overall or len(in_chat) >= self.chat_burst:
            self.too_many += 1
            body = _error(429, "Too Many Requests: retry after 1")
            body["parameters"] = {"retry_after": 1}
            return 429, body
        self._recent.append(now)
        in_chat.append(now)
        self.delivered.append((method, params))
        message_id = self.next_message_id
        self.next_message_id += 1
        self.shown[chat_id, message_id] = {
            "text": params.get("text", params.get("caption", "")),
            "reply_markup": params.get("reply_markup"),
        }
        for kind in ("photo", "document"):
            if kind in params:
                self.shown[chat_id, message_id][kind] = params[kind]
        return 200, {"ok": True, "result": {"message_id": message_id, "chat": {"id": chat_id},
                                            "date": int(time.time()),
                                            "text": params.get("text", "")}}  # fmt: skip

    def _edit(self, method: str, params: dict) -> tuple[int, dict]:
        key = (params.get("chat_id"), params.get("message_id"))
        if key not in self.shown:
            return 400, _error(400, "Bad Request: message to edit not found")
        if (method == "editMessageCaption") != ("photo" in self.shown[key]):
            return 400, _error(400, "Bad Request: there is no text in the message to edit")
        text = params.get("text", params.get("caption", ""))
        new = {**self.shown[key], "text": text, "reply_markup": params.get("reply_markup")}
        old = self.shown[key]
        empty = {"inline_keyboard": []}
        if new["text"] == old["text"] and (new["reply_markup"] or empty) == (
            old["reply_markup"] or empty
        ):
            same = "specified new message content and reply markup are exactly the same"
            return 400, _error(400, f"Bad Request: message is not modified: {same}")
        self.shown[key] = new
        self.delivered.append((method, params))
        result = {"message_id": key[1], "chat": {"id": key[0]}, "text": new["text"]}
        return 200, {"ok": True, "result": result | {"date": int(time.time())}}

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                _empty, bot, method = self.path.split("/", 2)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                kind = self.headers.get("Content-Type", "")
                try:
                    if kind.startswith("multipart/form-data"):
                        params = _form(kind, body)
                    else:
                        params = json.loads(body or b"{}")
                except ValueError:
                    params = None
                if bot != f"bot{TOKEN}":
                    status, body = 401, _error(401, "Unauthorized")
                elif not isinstance(params, dict):
                    status, body = 400, _error(400, "Bad Request: invalid JSON")
                else:
                    status, body = fake.answer(method, params)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # quiet
                pass

        return Handler


def _form(kind: str, body: bytes) -> dict:
    """The fields of a multipart/form-data request, as the Bot API reads them: a file as
    {"filename", "type", "data"}, an object (reply_markup) decoded from its JSON."""
    message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {kind}\r\n\r\n".encode() + body)
    if not message.is_multipart():
        raise ValueError("not multipart")
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True)
        if part.get_filename():
            fields[name] = {"filename": part.get_filename(), "type": part.get_content_type(),
                            "data": data}  # fmt: skip
            continue
        value = data.decode()
        fields[name] = json.loads(value) if name == "reply_markup" else value
    if "chat_id" in fields and fields["chat_id"].lstrip("-").isdigit():
        fields["chat_id"] = int(fields["chat_id"])
    return fields


def _error(code: int, description: str) -> dict:
    return {"ok": False, "error_code": code, "description": description}


def private_message(chat_id: int, text: str, *, language: str = "uk") -> dict:
    """The `message` part of an Update from a person writing to the bot."""
    return {
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Тест"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Тест",
                     "language_code": language},
            "text": text,
        }
    }  # fmt: skip
