"""The worker's delivery of the outbox's Telegram messages, within Telegram's limits.

Telegram allows a bot about 30 messages a second overall and one a second in one chat, and
answers 429 with `retry_after` beyond that (https://core.telegram.org/bots/faq). The worker
keeps under both; should Telegram still say 429, the message waits the seconds it asks for
and the pass ends. A chat that blocked the bot (403) is marked broken: email takes over the
member's next messages. Telegram away (no answer, 5xx): the message waits with back-off,
like mail, and nothing is lost or sent twice. A message about an event's time is followed by
its .ics as a file.
"""

import json
import logging
import time
from datetime import datetime, timedelta

from app.extensions import db
from app.models import OutboxMessage
from app.models.types import utcnow
from app.services.mail import (
    MAX_ATTEMPTS,
    DeliveryReport,
    claim_next_due,
    mark_sent,
    retry_delay,
)
from app.services.telegram import linking
from app.services.telegram.client import BotApi, TelegramError

PER_SECOND = 28  # overall, a little under Telegram's 30, so jitter never tips it over
PER_CHAT_SECONDS = 1.0

log = logging.getLogger("spilno.telegram")


class Pace:
    """Keeps sends under both limits: one slot every 1/PER_SECOND s, and a chat's next
    message a second after its last."""

    def __init__(self, per_second: float = PER_SECOND):
        self.gap = 1.0 / per_second
        self.next_slot = time.monotonic()
        self.last_in_chat: dict[str, float] = {}

    def wait(self, chat: str) -> None:
        ready = max(self.next_slot, self.last_in_chat.get(chat, -1e9) + PER_CHAT_SECONDS)
        time.sleep(max(0.0, ready - time.monotonic()))
        now = time.monotonic()
        self.next_slot = now + self.gap
        self.last_in_chat[chat] = now


def deliver_due(
    bot: BotApi, *, now: datetime | None = None, limit=500, per_second: float = PER_SECOND
) -> DeliveryReport:
    now = now or utcnow()
    report = DeliveryReport()
    pace = Pace(per_second)
    while report.sent + report.failed + report.given_up < limit:
        message = claim_next_due(now, channel="telegram")
        if message is None:
            db.session.rollback()
            break
        pace.wait(message.to)
        try:
            markup = json.loads(message.reply_markup) if message.reply_markup else None
            bot.send_message(int(message.to), message.text_body, reply_markup=markup)
        except TelegramError as error:
            stop = _failed(message, error, report)
            db.session.commit()
            if stop:
                break
            continue
        mark_sent(message, report)
        if message.ics:
            pace.wait(message.to)
            _send_calendar(bot, message)
    return report


def _send_calendar(bot: BotApi, message: OutboxMessage) -> None:
    """The event's .ics beside the message, for the phone's calendar. The message has gone
    already: a calendar file Telegram refuses is logged, not retried (a second try would
    send the message twice)."""
    name = "cancel.ics" if message.ics_method == "CANCEL" else "event.ics"
    try:
        bot.send_document(int(message.to), name, message.ics.encode(), "text/calendar")
    except TelegramError as error:
        log.warning(
            "Telegram calendar file of %s to %s not sent: %s", message.id, message.to, error
        )


def _failed(message: OutboxMessage, error: TelegramError, report: DeliveryReport) -> bool:
    """Record why; True when the pass should stop (Telegram asked to slow down, or is away)."""
    now = utcnow()
    message.claimed_at = None
    message.last_error = str(error)[:1000]
    if error.code == 429:  # not the message's fault: it waits as long as Telegram asks
        message.send_after = now + timedelta(seconds=error.retry_after or 1)
        report.failed += 1
        return True
    message.attempts += 1
    if error.blocked:
        linking.mark_broken(int(message.to), now)
    if error.code in (400, 403) or message.attempts >= MAX_ATTEMPTS:
        message.failed_at = now
        report.given_up += 1
        log.warning("Telegram %s to %s given up: %s", message.id, message.to, error)
        return False
    message.send_after = now + retry_delay(message.attempts)
    report.failed += 1
    return True  # no answer or 5xx: Telegram is away, the rest waits too
