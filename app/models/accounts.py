"""People and how they describe themselves: users, sectors, tags."""

import enum
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import get_locale
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.colours import readable_on
from app.extensions import db
from app.models.types import UTCDateTime, utcnow

NEWCOMER_DAYS = 60  # how long a member counts as new to the community


class Role(enum.StrEnum):
    MEMBER = "member"
    HOST = "host"
    ADMIN = "admin"


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def _tag_link_table(name: str) -> sa.Table:
    return sa.Table(
        name,
        db.metadata,
        sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("tag_id", sa.ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True),
    )


# Interests, offers ("I can help with") and asks ("I am looking for") share one vocabulary.
user_interests = _tag_link_table("user_interests")
user_offers = _tag_link_table("user_offers")
user_asks = _tag_link_table("user_asks")


class Sector(db.Model):
    __tablename__ = "sectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_uk: Mapped[str] = mapped_column(sa.String(80), unique=True)
    name_en: Mapped[str] = mapped_column(sa.String(80), unique=True)
    colour: Mapped[str] = mapped_column(sa.String(7), default="#6c757d")

    @property
    def name(self) -> str:
        locale = get_locale()
        return self.name_en if locale and locale.language == "en" else self.name_uk

    @property
    def avatar_style(self) -> str:
        """Initials on the sector's colour, in white or ink, whichever reads (WCAG AA)."""
        background, ink = readable_on(self.colour)
        return f"--sector: {background}; color: {ink}"

    def __repr__(self) -> str:
        return f"<Sector {self.name_en}>"


class Tag(db.Model):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(60), unique=True)

    def __repr__(self) -> str:
        return f"<Tag {self.name}>"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        sa.CheckConstraint("role IN ('member', 'host', 'admin')", name="role"),
        sa.CheckConstraint("locale IN ('uk', 'en')", name="locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Null only for a deleted account, whose row stays so past registrations stay counted.
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    name: Mapped[str] = mapped_column(sa.String(120))
    # The name keyed for search and Ukrainian alphabetical order (app/services/collation.py).
    name_key: Mapped[str] = mapped_column(
        # PostgreSQL must compare it by code point too, whatever the database's locale.
        sa.String(120).with_variant(sa.String(120, collation="C"), "postgresql"),
        index=True,
    )
    role: Mapped[str] = mapped_column(sa.String(16), default=Role.MEMBER)
    locale: Mapped[str] = mapped_column(sa.String(5), default="uk")
    sector_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sectors.id", ondelete="SET NULL"), index=True
    )
    organisation: Mapped[str] = mapped_column(sa.String(160), default="")
    city: Mapped[str] = mapped_column(sa.String(80), default="", index=True)
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    contact: Mapped[str] = mapped_column(sa.String(120), default="")
    # Shown to signed-in members among those going to an event; a member may say no.
    show_going: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    calendar_token: Mapped[str] = mapped_column(
        sa.String(64), unique=True, default=new_calendar_token
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the address was shown to be theirs. Only a sign-up starts without it: an account
    # made by an admin, a host at the door or an accepted invitation is confirmed as it is
    # made. Until then a member browses, but does not register or get matched.
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=utcnow)
    # The welcome sequence's last step sent or skipped (app/services/welcome.py); 4 is done.
    welcome_step: Mapped[int] = mapped_column(default=0, server_default="0")
    # Counts the saves of the profile form: a tab shown at version 3 may not overwrite 4.
    edit_version: Mapped[int] = mapped_column(default=1, server_default="1")
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    sector: Mapped[Sector | None] = relationship(lazy="joined")
    interests: Mapped[list[Tag]] = relationship(secondary=user_interests, order_by=Tag.name)
    offers: Mapped[list[Tag]] = relationship(secondary=user_offers, order_by=Tag.name)
    asks: Mapped[list[Tag]] = relationship(secondary=user_asks, order_by=Tag.name)

    @property
    def is_active(self) -> bool:  # Flask-Login: a deleted account cannot log in
        return self.deleted_at is None

    @property
    def is_host(self) -> bool:
        return self.role in (Role.HOST, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_newcomer(self) -> bool:
        """Joined in the last NEWCOMER_DAYS: pairing and hosts give them a warmer welcome."""
        return self.created_at > utcnow() - timedelta(days=NEWCOMER_DAYS)

    @property
    def initials(self) -> str:
        parts = [p for p in self.name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or "?"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"
