"""A message from the team to 5,000 members who chose announcements in Telegram, on
PostgreSQL: written to the outbox by `messages.create` (one statement), then delivered
against the fake Bot API of the tests, which answers 429 past Telegram's limits (30 a second
overall; in a chat, a burst of three a second). The target: all delivered, not one 429, as
near the limit as the worker's pace allows. Baseline in the same process: the same messages
handed to a fake with no limits and a worker with no pace (what the limits cost).

    uv run python benchmarks/telegram.py [--members 5000]
"""

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import OutboxMessage, Preference, TelegramLink, User  # noqa: E402
from app.services import messages  # noqa: E402
from app.services.telegram import delivery  # noqa: E402
from app.services.telegram.client import BotApi  # noqa: E402
from tests.databases import postgres_database  # noqa: E402
from tests.telegram_fake import TOKEN, FakeTelegram  # noqa: E402


def seed(members: int) -> User:
    """The members, each with a linked chat and announcements chosen in Telegram; an admin."""
    hashed = generate_password_hash("benchmark")
    db.session.execute(
        sa.insert(User),
        [{"email": f"member{n}@example.org", "name": f"Учасниця {n}", "name_key": f"учасниця {n}",
          "password_hash": hashed} for n in range(members)],
    )  # fmt: skip
    ids = db.session.scalars(sa.select(User.id).order_by(User.id)).all()
    db.session.execute(
        sa.insert(TelegramLink), [{"user_id": uid, "chat_id": 10_000 + uid} for uid in ids]
    )
    db.session.execute(
        sa.insert(Preference),
        [{"user_id": uid, "category": "announcements", "channel": "telegram", "enabled": True}
         for uid in ids],
    )  # fmt: skip
    admin = User(email="admin@example.org", name="Адмін", name_key="адмін", role="admin")
    db.session.add(admin)
    db.session.commit()
    return admin


def queue(admin: User) -> tuple[float, int]:
    """The message written to the outbox; (seconds, Telegram rows)."""
    db.session.execute(sa.delete(OutboxMessage))
    draft = messages.Draft(
        subject="Новини спільноти",
        body_md="Зустрічаємось у **четвер** о 19:00.",
        audience="everyone",
    )
    start = time.perf_counter()
    messages.create(admin, draft)
    db.session.commit()
    seconds = time.perf_counter() - start
    rows = db.session.scalar(sa.select(sa.func.count()).where(OutboxMessage.channel == "telegram"))
    return seconds, rows


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
        bot = {"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BOT_USERNAME": "spilno_bench_bot"}
        app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, **bot})
        with app.app_context():
            upgrade()
            admin = seed(args.members)
            fast = databases.enter_context(_running(FakeTelegram(overall_per_second=10**9,
                                                                  chat_burst=10**9)))  # fmt: skip
            queued, rows = queue(admin)
            baseline, _ = deliver(fast, per_second=10**9)
            limited = databases.enter_context(_running(FakeTelegram()))
            queue(admin)
            seconds, sent = deliver(limited, per_second=delivery.PER_SECOND)
            db.session.remove()
            db.engine.dispose()
    finally:
        databases.close()
    print(f"\nA message from the team to {args.members} members who chose Telegram")
    print(f"{'step':44} {'seconds':>8} {'per second':>11} {'429s':>6}")
    step = f"written to the outbox ({rows} Telegram rows)"
    print(f"{step:44} {queued:8.2f} {rows / queued:11.0f} {'':>6}")
    rate = rows / baseline
    print(f"{'baseline: no limits, no pace':44} {baseline:8.1f} {rate:11.1f} {'':>6}")
    step, rate = "under Telegram's limits (30 a second)", sent / seconds
    print(f"{step:44} {seconds:8.1f} {rate:11.1f} {limited.too_many:6d}")
    assert sent == rows == args.members, "not every member got the message"


class _running:
    def __init__(self, fake):
        self.fake = fake

    def __enter__(self):
        return self.fake.start()

    def __exit__(self, *exc):
        self.fake.stop()


if __name__ == "__main__":
    main()
