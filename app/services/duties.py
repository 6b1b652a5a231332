"""What the worker does on each pass, one duty at a time, each on its own.

A duty that fails is logged with its cause and rolled back; the others still run, mail
delivery first. Every duty is idempotent, so a pass that is cut short is simply run again.
"""

import logging
from collections.abc import Callable
from datetime import datetime

from flask import current_app

from app.extensions import db
from app.i18n import event_when
from app.services import cards, coffee, imports, levels, messages, surveys, telegram, welcome
from app.services.mail import (
    deliver_due_messages,
    give_up_interrupted,
    transport_from_config,
)
from app.services.notifications import send_due_reminders
from app.services.telegram import channel as telegram_channel
from app.services.telegram import delivery as telegram_delivery
from app.services.telegram.client import BotApi, bot_from_config

log = logging.getLogger("spilno.worker")


def _mail(now: datetime) -> str:
    interrupted = give_up_interrupted(now)
    db.session.commit()
    report = deliver_due_messages(transport_from_config(current_app.config))
    return f"{report}, {interrupted} left by a stopped worker given up"


def _with_bot(work: Callable[[BotApi], str]) -> str:
    if not telegram.enabled():
        return "no bot set up"
    bot = bot_from_config()
    try:
        return work(bot)
    finally:
        bot.close()


def _telegram(now: datetime) -> str:
    return _with_bot(lambda bot: str(telegram_delivery.deliver_due(bot)))


def _telegram_channel(now: datetime) -> str:
    return _with_bot(lambda bot: telegram_channel.post_events(bot, now))


def _reminders(now: datetime) -> str:
    return f"{send_due_reminders(now)} queued"


def _surveys(now: datetime) -> str:
    return f"{surveys.invitations.send_due_invitations(now)} invitations or reminders queued"


def _cards(now: datetime) -> str:
    return f"{cards.run_waiting_jobs(event_when)} sets printed"


def _imports(now: datetime) -> str:
    return f"{imports.running.run_waiting(now)} member lists imported"


def _welcome(now: datetime) -> str:
    return f"{welcome.send_due(now)} welcome mails queued"


def _messages(now: datetime) -> str:
    return f"{messages.send_due(now)} scheduled messages queued"


def _levels(now: datetime) -> str:
    if not levels.is_due(now):
        return "computed today already"
    return f"{levels.snapshot(now)} members' levels computed"


def _coffee(now: datetime) -> str:
    if not coffee.is_due(now):
        return "not due"
    report = coffee.run_coffee_round(now)
    return f"{report.groups} meetings, {report.paused} paused"


DUTIES: list[tuple[str, Callable[[datetime], str]]] = [
    ("mail", _mail),
    ("telegram", _telegram),
    ("telegram channel", _telegram_channel),
    ("reminders", _reminders),
    ("surveys", _surveys),
    ("cards", _cards),
    ("imports", _imports),
    ("welcome", _welcome),
    ("messages", _messages),
    ("levels", _levels),
    ("coffee", _coffee),
]


def run_duties(now: datetime, duties=None) -> dict[str, bool]:
    """One pass; says which duty succeeded. One log line per duty, with its outcome."""
    succeeded = {}
    for name, duty in duties or DUTIES:
        try:
            outcome = duty(now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("%s: failed and rolled back", name)
            succeeded[name] = False
        else:
            log.info("%s: %s", name, outcome)
            succeeded[name] = True
        finally:
            db.session.remove()
    return succeeded
