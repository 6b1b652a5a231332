"""What the community's team knows of its people: private notes (and, to come, levels and
introductions)."""

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
