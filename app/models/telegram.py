"""Telegram: which chat is whose, and the one-time tokens of the deep link that joins them."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.types import UTCDateTime, utcnow


class TelegramLink(db.Model):
    """A member's chat with the community's bot. One chat per account and one account per
    chat, both enforced by the database. `broken_at`: the member blocked the bot, and email
    takes over until they link again."""

    __tablename__ = "telegram_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    chat_id: Mapped[int] = mapped_column(sa.BigInteger, unique=True)
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    broken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()


class TelegramLinkToken(db.Model):
    """The `start` parameter of a "Connect Telegram" deep link: random, for one account,
    good for 15 minutes and for one use."""

    __tablename__ = "telegram_link_tokens"

    token: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TelegramPost(db.Model):
    """A published event's post in the community's Telegram channel, once the worker has
    posted it; `cancelled_at` once the post was edited to say the event is cancelled."""

    __tablename__ = "telegram_posts"

    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[str] = mapped_column(sa.String(64))  # a channel's id or its @username
    message_id: Mapped[int] = mapped_column(sa.BigInteger)
    with_photo: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    posted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
