"""Typed models, one module per domain. Importing this package registers every table."""

from app.models.accounts import Role, Sector, Tag, User, user_asks, user_interests, user_offers
from app.models.events import (
    Event,
    EventFormat,
    EventStatus,
    Registration,
    RegistrationStatus,
    event_hosts,
)
from app.models.mail import OutboxMessage

__all__ = [
    "Event",
    "EventFormat",
    "EventStatus",
    "OutboxMessage",
    "Registration",
    "RegistrationStatus",
    "Role",
    "Sector",
    "Tag",
    "User",
    "event_hosts",
    "user_asks",
    "user_interests",
    "user_offers",
]
