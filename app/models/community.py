"""Bringing the existing community in: imports of member lists, and the invitations they make."""

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.types import UTCDateTime, utcnow


class ImportStatus(enum.StrEnum):
    DRAFT = "draft"  # uploaded; columns being matched, preview being read
    QUEUED = "queued"  # confirmed; the worker takes it next
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Import(db.Model):
    """One uploaded member list: its rows as read, how its columns map, and what became of it."""

    __tablename__ = "imports"
    __table_args__ = (
        sa.CheckConstraint(
            "status IN ('draft', 'queued', 'running', 'done', 'failed')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    filename: Mapped[str] = mapped_column(sa.String(200), default="")
    status: Mapped[str] = mapped_column(sa.String(10), default=ImportStatus.DRAFT)
    # The file as read: its header and rows of text, so nothing needs the file again.
    header: Mapped[list] = mapped_column(sa.JSON, default=list)
    rows: Mapped[list] = mapped_column(sa.JSON, default=list)
    # Column index → profile field; sector name as written → sector id (0: create it).
    mapping: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    sector_mapping: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    # Fill an existing account's empty fields from the file (else leave accounts alone).
    update_existing: Mapped[bool] = mapped_column(default=True)
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    # What happened: invited, updated, unchanged, skipped; and each row's problems.
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    problems: Mapped[list] = mapped_column(sa.JSON, default=list)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    created_by: Mapped[User | None] = relationship()


class Invitation(db.Model):
    """Someone from an imported list, invited to join: their account exists only once they
    accept, so until then nobody lists, matches or mails them anything else."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    locale: Mapped[str] = mapped_column(sa.String(5), default="uk")
    # What the list said of them, for their new profile: sector_id, organisation, city,
    # languages, interests, offers, asks, contact, joined (an ISO date).
    profile: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_invitation_token)
    import_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("imports.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    times_sent: Mapped[int] = mapped_column(default=0)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))


class Segment(db.Model):
    """A saved filter over members (app/services/segments.py): who a message is for."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    criteria: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    owner: Mapped[User | None] = relationship()


class MessageStatus(enum.StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"  # written to the outbox by the worker when its time comes
    SENT = "sent"  # every recipient's copy is in the outbox


class Message(db.Model):
    """A message from the team to people: a segment, everyone, or an event's people."""

    __tablename__ = "messages"
    __table_args__ = (
        sa.CheckConstraint("status IN ('draft', 'scheduled', 'sent')", name="status"),
        sa.CheckConstraint("audience IN ('everyone', 'segment', 'event')", name="audience"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body_md: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    audience: Mapped[str] = mapped_column(sa.String(10), default="everyone")
    segment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("segments.id", ondelete="SET NULL")
    )
    event_id: Mapped[int | None] = mapped_column(sa.ForeignKey("events.id", ondelete="SET NULL"))
    # Of an event: confirmed | waitlisted | checked_in | no_shows.
    event_group: Mapped[str] = mapped_column(sa.String(12), default="")
    status: Mapped[str] = mapped_column(sa.String(10), default=MessageStatus.DRAFT)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    queued_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recipients: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()
