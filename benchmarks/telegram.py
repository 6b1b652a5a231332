"""Delivering the outbox's Telegram messages to 5,000 linked members on PostgreSQL, against
the fake Bot API of the tests, which answers 429 past Telegram's limits (30 a second overall;
in a chat, a burst of three a second). The target: all delivered, not one 429, as near the
limit as the worker's pace allows. Baseline in the same process: the same messages handed to
a fake with no limits and a worker with no pace (what the limits cost).

    uv run python benchmarks/telegram.py [--members 5000]
"""

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import OutboxMessage  # noqa: E402
from app.services.telegram import delivery  # noqa: E402
from app.services.telegram.client import BotApi  # noqa: E402
from tests.databases import postgres_database  # noqa: E402
from tests.telegram_fake import TOKEN, FakeTelegram  # noqa: E402


def queue(members: int) -> None:
    db.session.execute(sa.delete(OutboxMessage))
    db.session.execute(
        sa.insert(OutboxMessage),
        [{"channel": "telegram", "to": str(10_000 + n), "subject": "Новини",
          "text_body": "<b>Новини спільноти</b>\n\nЗустрічаємось у четвер."}
         for n in range(members)],
    )  # fmt: skip
    db.session.commit()


def deliver(fake: FakeTelegram, per_second: float) -> tuple[float, int]:
    bot = BotApi(TOKEN, fake.url)
    start = time.perf_counter()
    sent = 0
    while True:
        report = delivery.deliver_due(bot, limit=10_000, per_second=per_second)
        sent += report.sent
        if report.sent + report.failed + report.given_up == 0:
            break
    bot.close()
    return time.perf_counter() - start, sent


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=5000)
    args = parser.parse_args()
    databases = ExitStack()
    url = databases.enter_context(postgres_database())
    try:
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            fast = databases.enter_context(_running(FakeTelegram(overall_per_second=10**9,
                                                                  chat_burst=10**9)))  # fmt: skip
            queue(args.members)
            baseline, _ = deliver(fast, per_second=10**9)
            limited = databases.enter_context(_running(FakeTelegram()))
            queue(args.members)
            seconds, sent = deliver(limited, per_second=delivery.PER_SECOND)
            db.session.remove()
            db.engine.dispose()
    finally:
        databases.close()
    print(f"\n{args.members} Telegram messages, one per linked member")
    print(f"{'step':44} {'seconds':>8} {'per second':>11} {'429s':>6}")
    rate = args.members / baseline
    print(f"{'baseline: no limits, no pace':44} {baseline:8.1f} {rate:11.1f} {'':>6}")
    step, rate = "under Telegram's limits (30 a second)", sent / seconds
    print(f"{step:44} {seconds:8.1f} {rate:11.1f} {limited.too_many:6d}")


class _running:
    def __init__(self, fake):
        self.fake = fake

    def __enter__(self):
        return self.fake.start()

    def __exit__(self, *exc):
        self.fake.stop()


if __name__ == "__main__":
    main()
