"""Joining a member's account and their chat with the bot, and parting them.

"Connect Telegram" on /me makes a one-time token and sends the member to
https://t.me/<bot>?start=<token>; Telegram then delivers "/start <token>" from their chat,
and `link_chat` joins the two. A token is good for 15 minutes and for one use."""

import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from app.extensions import db
from app.models import TelegramLink, TelegramLinkToken, User
from app.models.types import utcnow

TOKEN_LIFETIME = timedelta(minutes=15)


def deep_link(user: User, now: datetime | None = None) -> str:
    """A fresh one-time link to the bot for this member."""
    now = now or utcnow()
    token = secrets.token_urlsafe(24)  # 32 characters of [A-Za-z0-9_-], as `start` allows
    db.session.add(TelegramLinkToken(token=token, user_id=user.id, expires_at=now + TOKEN_LIFETIME))
    return f"https://t.me/{current_app.config['TELEGRAM_BOT_USERNAME']}?start={token}"


def link_chat(token: str, chat_id: int, now: datetime | None = None) -> User | None:
    """Join the chat to the token's account; None when the token is unknown, used or old.
    A chat linked to another account before moves to this one; so does the account's old
    chat give way to this one (one chat per account, one account per chat)."""
    now = now or utcnow()
    claimed = db.session.execute(
        sa.update(TelegramLinkToken)
        .where(
            TelegramLinkToken.token == token,
            TelegramLinkToken.used_at.is_(None),
            TelegramLinkToken.expires_at > now,
        )
        .values(used_at=now)
        .returning(TelegramLinkToken.user_id)
    ).scalar()
    user = db.session.get(User, claimed) if claimed else None
    if user is None or user.deleted_at is not None:
        return None
    db.session.execute(
        sa.delete(TelegramLink).where(
            sa.or_(TelegramLink.chat_id == chat_id, TelegramLink.user_id == user.id)
        )
    )
    db.session.add(TelegramLink(user_id=user.id, chat_id=chat_id, linked_at=now))
    return user


def link_of(user_id: int) -> TelegramLink | None:
    return db.session.scalar(sa.select(TelegramLink).where(TelegramLink.user_id == user_id))


def link_of_chat(chat_id: int) -> TelegramLink | None:
    return db.session.scalar(sa.select(TelegramLink).where(TelegramLink.chat_id == chat_id))


def unlink_user(user_id: int) -> int | None:
    """Disconnect from /me; the chat that was linked, if any (to say goodbye there)."""
    link = link_of(user_id)
    if link is None:
        return None
    db.session.delete(link)
    return link.chat_id


def unlink_chat(chat_id: int) -> User | None:
    """Disconnect from the chat (/stop); the account it was linked to, if any."""
    link = link_of_chat(chat_id)
    if link is None:
        return None
    user = link.user
    db.session.delete(link)
    return user


def mark_broken(chat_id: int, now: datetime | None = None) -> None:
    """The member blocked the bot: email takes over until they link again."""
    db.session.execute(
        sa.update(TelegramLink)
        .where(TelegramLink.chat_id == chat_id, TelegramLink.broken_at.is_(None))
        .values(broken_at=now or utcnow())
    )
