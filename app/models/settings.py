"""The community's own settings, and members' consent to its policies."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class Setting(db.Model):
    """One community-wide setting the admin changes (its name, logo, policies, the coffee
    weekday), by key; app/services/community.py reads them all at once."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[str] = mapped_column(sa.Text)


class Consent(db.Model):
    """A member agreed to a version of the privacy policy and terms, at a time."""

    __tablename__ = "consents"
    __table_args__ = (sa.UniqueConstraint("user_id", "version", name="uq_consents_user_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column()
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
