import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class OutboxMessage(db.Model):
    """A message waiting to leave, written in the same transaction as the change behind it:
    an email, or its Telegram copy (`to` is then the chat's id, `text_body` Telegram HTML)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        sa.Index("ix_outbox_messages_due", "sent_at", "send_after"),
        sa.CheckConstraint("channel IN ('email', 'telegram')", name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(10), default="email", server_default="email")
    to: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(255))
    text_body: Mapped[str] = mapped_column(sa.Text)
    html_body: Mapped[str] = mapped_column(sa.Text, default="")
    ics: Mapped[str | None] = mapped_column(sa.Text)
    ics_method: Mapped[str | None] = mapped_column(sa.String(16))
    # A Telegram message's buttons, as the Bot API's JSON (app/services/telegram/buttons.py).
    reply_markup: Mapped[str | None] = mapped_column(sa.Text)
    # Bulk mail (a category a member can turn off) names its one-click unsubscribe link.
    unsubscribe_url: Mapped[str | None] = mapped_column(sa.String(500))
    # A reminder or notice that must go once carries a key; the database refuses a second one.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    send_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Refused for good (a 5xx answer) or out of attempts: never tried again.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Committed before the message is handed to the server: a worker stopped while sending
    # leaves it claimed, and it is given up rather than sent a second time.
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} to={self.to} sent={self.sent_at is not None}>"


class MailCategory(enum.StrEnum):
    """Kinds of message, each chosen by email and in Telegram (app/services/preferences.py).
    A member may turn off any by email but `registrations`: what follows their own action
    (a seat taken or given up, a change to their event) always goes."""

    ANNOUNCEMENTS = "announcements"
    REMINDERS = "reminders"
    COFFEE = "coffee"
    SURVEYS = "surveys"
    INTRODUCTIONS = "introductions"
    REGISTRATIONS = "registrations"


class Preference(db.Model):
    """A member's choice for one category on one channel; no row means the channel's default
    (app/services/preferences.py)."""

    __tablename__ = "preferences"
    __table_args__ = (
        sa.CheckConstraint(
            "category IN ('announcements', 'reminders', 'coffee', 'surveys', 'introductions', "
            "'registrations')",
            name="category",
        ),
        sa.CheckConstraint("channel IN ('email', 'telegram')", name="channel"),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(10), primary_key=True, default="email")
    enabled: Mapped[bool] = mapped_column(default=True)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
