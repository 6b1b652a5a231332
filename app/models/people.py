"""What the community's team knows of its people: private notes, engagement levels and
introductions."""

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.types import UTCDateTime, utcnow

NOTE_LENGTH = 2000


class Note(db.Model):
    """A host's or admin's private note about a member: never shown to other members; the
    member reads notes about them in their own data export."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    about_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(sa.String(NOTE_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class LevelSnapshot(db.Model):
    """A member's engagement level in a month (app/services/levels.py), kept as it was on the
    last day it was computed that month, so the dashboard can show who moved."""

    __tablename__ = "level_snapshots"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "month", name="uq_level_snapshots_user_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(sa.Date, index=True)
    level: Mapped[str] = mapped_column(sa.String(12))
    score: Mapped[float] = mapped_column(sa.Float, default=0.0)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class IntroductionStatus(enum.StrEnum):
    REQUESTED = "requested"  # a member asked the team; in the community manager's queue
    PROPOSED = "proposed"  # sent to both; waiting for their answers
    ACCEPTED = "accepted"  # both said yes: contacts exchanged, a meeting to follow up
    DECLINED = "declined"  # someone said "not now"; the other person is never told
    DISMISSED = "dismissed"  # a request the team set aside


class IntroductionAnswer(enum.StrEnum):
    WAITING = "waiting"
    YES = "yes"
    NOT_NOW = "not_now"


REASON_LENGTH = 1000


class Introduction(db.Model):
    """Two members the team thinks should meet, and why. Each says yes or "not now"; only two
    yeses reveal contacts, and then the pair's `meeting` is followed up like any other."""

    __tablename__ = "introductions"
    __table_args__ = (
        sa.CheckConstraint("first_id <> second_id", name="two_people"),
        sa.CheckConstraint(
            "status IN ('requested', 'proposed', 'accepted', 'declined', 'dismissed')",
            name="status",
        ),
        sa.CheckConstraint("first_answer IN ('waiting', 'yes', 'not_now')", name="first_answer"),
        sa.CheckConstraint("second_answer IN ('waiting', 'yes', 'not_now')", name="second_answer"),
        sa.Index("ix_introductions_pair", "first_id", "second_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # When a member asked for the introduction, they are `first`.
    first_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    second_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    requested: Mapped[bool] = mapped_column(default=False)
    introduced_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(sa.String(REASON_LENGTH))
    status: Mapped[str] = mapped_column(sa.String(10), index=True)
    first_answer: Mapped[str] = mapped_column(sa.String(8), default=IntroductionAnswer.WAITING)
    second_answer: Mapped[str] = mapped_column(sa.String(8), default=IntroductionAnswer.WAITING)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    meeting_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("meetings.id", ondelete="SET NULL")
    )

    first: Mapped[User] = relationship(foreign_keys=[first_id])
    second: Mapped[User] = relationship(foreign_keys=[second_id])
    introduced_by: Mapped[User | None] = relationship(foreign_keys=[introduced_by_id])
    meeting: Mapped["Meeting | None"] = relationship("Meeting")  # noqa: F821  (app.models.pairing)

    def side_of(self, user_id: int) -> str | None:
        """'first' or 'second' for the two people in it, None for anyone else."""
        return {self.first_id: "first", self.second_id: "second"}.get(user_id)

    def answer_of(self, user_id: int) -> str | None:
        side = self.side_of(user_id)
        return getattr(self, f"{side}_answer") if side else None

    def other_than(self, user_id: int) -> User:
        return self.second if user_id == self.first_id else self.first
