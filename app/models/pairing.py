"""Rounds of meetings: live at an event, or community random coffee."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.types import UTCDateTime, utcnow


class RoundKind(enum.StrEnum):
    LIVE = "live"
    COFFEE = "coffee"
    INTRODUCTION = "introduction"  # one round per introduction both people accepted


class RoundStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class MetAnswer(enum.StrEnum):
    """What a person said about a meeting: did it happen?"""

    YES = "yes"
    NOT_YET = "not_yet"
    NO = "no"


class Round(db.Model):
    __tablename__ = "rounds"
    __table_args__ = (
        sa.UniqueConstraint("kind", "event_id", "number", name="uq_rounds_kind_event_number"),
        sa.CheckConstraint("kind IN ('live', 'coffee', 'introduction')", name="kind"),
        sa.CheckConstraint("status IN ('draft', 'published', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column()
    status: Mapped[str] = mapped_column(sa.String(12), default=RoundStatus.DRAFT)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    minutes: Mapped[int] = mapped_column(default=7)
    seed: Mapped[int] = mapped_column(default=0)
    # What the engine reported: sizes, score, cross-sector share, repeats.
    stats: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    meetings: Mapped[list["Meeting"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="Meeting.id"
    )
    event: Mapped["Event | None"] = relationship("Event")  # noqa: F821  (in app.models.events)

    @property
    def ends_at(self) -> datetime | None:
        from datetime import timedelta

        return self.starts_at + timedelta(minutes=self.minutes) if self.starts_at else None


class Meeting(db.Model):
    """A round's group of two (or three)."""

    __tablename__ = "meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("rounds.id", ondelete="CASCADE"), index=True
    )
    table_number: Mapped[int | None] = mapped_column()
    video_url: Mapped[str] = mapped_column(sa.String(500), default="")
    reasons: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    pinned: Mapped[bool] = mapped_column(default=False)

    round: Mapped[Round] = relationship(back_populates="meetings")
    members: Mapped[list["MeetingMember"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingMember.user_id"
    )


class MeetingMember(db.Model):
    __tablename__ = "meeting_members"
    __table_args__ = (
        # One meeting per person per round, enforced by the database.
        sa.UniqueConstraint("round_id", "user_id", name="uq_meeting_members_round_user"),
        sa.CheckConstraint("met IN ('yes', 'no', 'not_yet')", name="met"),
        sa.CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
    )

    meeting_id: Mapped[int] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("rounds.id", ondelete="CASCADE"))
    met: Mapped[str | None] = mapped_column(sa.String(8))
    rating: Mapped[int | None] = mapped_column()
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    wants_contact: Mapped[bool | None] = mapped_column()
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    meeting: Mapped[Meeting] = relationship(back_populates="members")
    round: Mapped[Round] = relationship()
    user: Mapped[User] = relationship()


class Block(db.Model):
    """A member never to be paired with another. Private: the blocked person is not told."""

    __tablename__ = "blocks"

    blocker_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CoffeeFrequency(enum.StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


class CoffeeFormat(enum.StrEnum):
    ONLINE = "online"
    IN_PERSON = "in_person"
    EITHER = "either"


class CoffeeSubscription(db.Model):
    __tablename__ = "coffee_subscriptions"
    __table_args__ = (
        sa.CheckConstraint("frequency IN ('weekly', 'biweekly', 'monthly')", name="frequency"),
        sa.CheckConstraint("format IN ('online', 'in_person', 'either')", name="format"),
    )

    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    active: Mapped[bool] = mapped_column(default=True)
    frequency: Mapped[str] = mapped_column(sa.String(10), default=CoffeeFrequency.WEEKLY)
    format: Mapped[str] = mapped_column(sa.String(10), default=CoffeeFormat.EITHER)
    paused_until: Mapped[date | None] = mapped_column(sa.Date)
    # Partners see the member's email and contact in the introduction only when this is on.
    share_contact: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # Rounds in a row with no answer to "did you meet?"; three pause the subscription.
    ignored_in_a_row: Mapped[int] = mapped_column(default=0)
    last_round_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()
