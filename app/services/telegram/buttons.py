"""Buttons under the bot's messages: what each carries, and who it is for.

A button's `callback_data` (at most 64 bytes: https://core.telegram.org/bots/api#inlinekeyboardbutton)
is `action:object:choice:mac`. The mac is an HMAC of the rest and of the member the button was
made for, keyed with the app's secret: a button acts only for the account it was sent to, and
a forged or altered one is refused. A button on a channel post is made for nobody in
particular (member 0) and acts for whoever taps it, once their chat is linked.
What a tap does is app/services/telegram/actions.py.
"""

import hashlib
import hmac
from base64 import urlsafe_b64encode

from flask import current_app
from flask_babel import gettext as _

from app.models import MetAnswer

EVERYONE = 0  # the member a channel post's buttons are made for
# Messages to a member with a seat (or a place in the queue), which they may give up.
HOLDING_A_SEAT = {
    "event_reminder", "event_updated", "registration_confirmed", "registration_waitlisted",
    "registration_pending",
}  # fmt: skip


class NotValid(Exception):
    """An old, forged or altered button, or one made for someone else."""


def _mac(user_id: int, payload: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"telegram-button|{user_id}|{payload}".encode(), hashlib.sha256)
    return urlsafe_b64encode(digest.digest()[:9]).decode()  # 72 bits, 12 characters


def button(user_id: int, text: str, action: str, object_id: int, choice: str = "") -> dict:
    payload = f"{action}:{object_id}:{choice}"
    return {"text": text, "callback_data": f"{payload}:{_mac(user_id, payload)}"}


def keyboard(*rows: list[dict]) -> dict | None:
    rows = [row for row in rows if row]
    return {"inline_keyboard": rows} if rows else None


def seat_buttons(user_id: int, event_id: int, has_seat: bool) -> dict:
    if has_seat:
        return keyboard([button(user_id, _("Cancel my seat"), "cancel", event_id)])
    return keyboard([button(user_id, _("Register"), "register", event_id)])


def met_buttons(user_id: int, meeting_id: int) -> dict:
    return keyboard(
        [
            button(user_id, _("We met"), "met", meeting_id, MetAnswer.YES),
            button(user_id, _("Not yet"), "met", meeting_id, MetAnswer.NOT_YET),
            button(user_id, _("It didn't happen"), "met", meeting_id, MetAnswer.NO),
        ]
    )


def rating_buttons(user_id: int, meeting_id: int) -> dict:
    return keyboard(
        [button(user_id, "⭐" * n, "rate", meeting_id, str(n)) for n in range(1, 4)],
        [button(user_id, "⭐" * n, "rate", meeting_id, str(n)) for n in range(4, 6)],
    )


def keep_buttons(user_id: int, meeting_id: int) -> dict:
    return keyboard(
        [
            button(user_id, _("Yes, share contacts"), "keep", meeting_id, "yes"),
            button(user_id, _("No, thanks"), "keep", meeting_id, "no"),
        ]
    )


def coffee_buttons(user_id: int, paused: bool) -> dict:
    if paused:
        return keyboard([button(user_id, _("Resume random coffee"), "resume", 0)])
    return keyboard([button(user_id, _("Pause for 2 weeks"), "pause", 0)])


def introduction_buttons(user_id: int, introduction_id: int) -> dict:
    return keyboard(
        [
            button(user_id, _("Yes, introduce us"), "intro", introduction_id, "yes"),
            button(user_id, _("Not now"), "intro", introduction_id, "not_now"),
        ]
    )


def buttons_for(template: str, user_id: int, context: dict) -> dict | None:
    """The buttons under the Telegram copy of an email (`emails/<template>`), in the
    recipient's language (the caller's locale)."""
    if template in HOLDING_A_SEAT:
        return seat_buttons(user_id, context["event"].id, has_seat=True)
    if template == "coffee_intro":
        meeting_id = context["meeting"].id
        rows = met_buttons(user_id, meeting_id)["inline_keyboard"]
        pause = coffee_buttons(user_id, paused=False)["inline_keyboard"]
        return keyboard(*rows, *pause)
    if template == "coffee_followup":
        return met_buttons(user_id, context["meeting"].id)
    if template == "introduction_request":
        return introduction_buttons(user_id, context["introduction"].id)
    return None


def read(data, user_id: int, actions) -> tuple[str, int, str, bool]:
    """(action, object id, choice, made for everyone) of a button's data, or NotValid."""
    if not isinstance(data, str) or data.count(":") != 3:
        raise NotValid
    action, object_id, choice, mac = data.split(":")
    payload = f"{action}:{object_id}:{choice}"
    if action not in actions or not object_id.isdigit():
        raise NotValid
    if hmac.compare_digest(mac, _mac(user_id, payload)):
        return action, int(object_id), choice, False
    if action == "register" and hmac.compare_digest(mac, _mac(EVERYONE, payload)):
        return action, int(object_id), choice, True
    raise NotValid
