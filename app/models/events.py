"""Events and the people registered for them."""

import enum
import secrets
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.accounts import User
from app.models.types import KYIV, UTCDateTime, utcnow


class EventFormat(enum.StrEnum):
    OFFLINE = "offline"
    ONLINE = "online"
    HYBRID = "hybrid"


class EventStatus(enum.StrEnum):
    PROPOSED = "proposed"  # by a member, waiting for a host or admin to decide
    DECLINED = "declined"  # a proposal turned down, kept so its proposer can read why
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class RegistrationQuestionKind(enum.StrEnum):
    """What a host may ask on the registration form."""

    TEXT = "text"
    SINGLE = "single"
    MULTIPLE = "multiple"
    YES_NO = "yesno"


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class CardJobStatus(enum.StrEnum):
    WAITING = "waiting"
    RUNNING = "running"
    READY = "ready"
    FAILED = "failed"


def new_ticket_token() -> str:
    return secrets.token_urlsafe(16)


def new_event_uid() -> str:
    return f"{uuid.uuid4()}@spilno"


event_hosts = sa.Table(
    "event_hosts",
    db.metadata,
    sa.Column("event_id", sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Event(db.Model):
    __tablename__ = "events"
    __table_args__ = (
        sa.CheckConstraint("format IN ('offline', 'online', 'hybrid')", name="format"),
        sa.CheckConstraint(
            "status IN ('proposed', 'declined', 'draft', 'published', 'cancelled')", name="status"
        ),
        sa.CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity"),
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.Index("ix_events_status_starts_at", "status", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # One UID for the event's whole life, so calendars update the entry instead of adding one.
    uid: Mapped[str] = mapped_column(sa.String(80), unique=True, default=new_event_uid)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # The Markdown rendered and sanitised once, when saved, not on every page view.
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    # The same in English, when the hosts give it; a reader sees their language, else the other.
    title_en: Mapped[str] = mapped_column(sa.String(200), default="", server_default="")
    description_en: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    description_en_html: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    # The stored cover picture's name (app/services/pictures.py), or "" for none.
    cover: Mapped[str] = mapped_column(sa.String(60), default="", server_default="")
    # Events made together from one rule ("every second Thursday") share a key.
    series_key: Mapped[str | None] = mapped_column(sa.String(40), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # Why a proposal was declined, as the proposer was told.
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    format: Mapped[str] = mapped_column(sa.String(16), default=EventFormat.OFFLINE)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(sa.String(64), default=KYIV)
    venue: Mapped[str] = mapped_column(sa.String(200), default="")
    address: Mapped[str] = mapped_column(sa.String(300), default="")
    city: Mapped[str] = mapped_column(sa.String(80), default="", index=True)
    online_url: Mapped[str] = mapped_column(sa.String(500), default="")
    capacity: Mapped[int | None] = mapped_column()
    requires_approval: Mapped[bool] = mapped_column(default=False)
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(sa.String(16), default=EventStatus.DRAFT)
    # iCalendar SEQUENCE: raised on every change of time, place or status.
    sequence: Mapped[int] = mapped_column(default=0)
    # Counts the saves of the edit form: a form shown at version 3 may not overwrite version 4.
    edit_version: Mapped[int] = mapped_column(default=1, server_default="1")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    hosts: Mapped[list[User]] = relationship(secondary=event_hosts, order_by=User.name_key)
    questions: Mapped[list["EventQuestion"]] = relationship(
        order_by="EventQuestion.position", cascade="all, delete-orphan", back_populates="event"
    )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_starts_at(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_ends_at(self) -> datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def is_in_person(self) -> bool:
        return self.format in (EventFormat.OFFLINE, EventFormat.HYBRID)

    @property
    def is_online(self) -> bool:
        return self.format in (EventFormat.ONLINE, EventFormat.HYBRID)

    def title_in(self, locale) -> str:
        """The title in the reader's language, else the other one."""
        return (self.title_en or self.title) if str(locale) == "en" else self.title

    def description_html_in(self, locale) -> str:
        if str(locale) == "en":
            return self.description_en_html or self.description_html
        return self.description_html or self.description_en_html

    def is_hosted_by(self, user) -> bool:
        if not getattr(user, "is_authenticated", False):
            return False
        return user.is_admin or any(host.id == user.id for host in self.hosts)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"


class Registration(db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        sa.UniqueConstraint("event_id", "user_id", name="uq_registrations_event_user"),
        sa.CheckConstraint(
            "status IN ('pending', 'confirmed', 'waitlisted', 'cancelled', 'rejected')",
            name="status",
        ),
        sa.Index("ix_registrations_event_status", "event_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(sa.ForeignKey("events.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(sa.String(16))
    # When this registration (re)joined the queue: set under the event's lock, so the
    # earliest waitlisted member is the one who asked first.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Checked in, then left before the rounds ended: not paired any more.
    left_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ticket_token: Mapped[str] = mapped_column(sa.String(40), unique=True, default=new_ticket_token)
    rejection_reason: Mapped[str] = mapped_column(sa.Text, default="")
    # The registration form's answers, by question id (as a string: JSON keys are strings).
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict, server_default="{}")

    event: Mapped[Event] = relationship()
    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<Registration {self.id} event={self.event_id} user={self.user_id} {self.status}>"


class EventQuestion(db.Model):
    """A question a host adds to an event's registration form."""

    __tablename__ = "event_questions"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('text', 'single', 'multiple', 'yesno')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(sa.String(10), default=RegistrationQuestionKind.TEXT)
    text: Mapped[str] = mapped_column(sa.String(300))
    options: Mapped[list] = mapped_column(sa.JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)

    event: Mapped[Event] = relationship(back_populates="questions")


class CardJob(db.Model):
    """A large set of cards, printed by the worker while the host watches the progress."""

    __tablename__ = "card_jobs"
    __table_args__ = (
        sa.CheckConstraint("status IN ('waiting', 'running', 'ready', 'failed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    requested_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    layout: Mapped[str] = mapped_column(sa.String(20))
    who: Mapped[str] = mapped_column(sa.String(12))
    crop_marks: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str] = mapped_column(sa.String(5), default="uk")
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(sa.String(10), default=CardJobStatus.WAITING)
    path: Mapped[str] = mapped_column(sa.String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
