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
from app.models.pairing import (
    Block,
    CoffeeFormat,
    CoffeeFrequency,
    CoffeeSubscription,
    Meeting,
    MeetingMember,
    Round,
    RoundKind,
    RoundStatus,
    Setting,
)

__all__ = [
    "Block",
    "CoffeeFormat",
    "CoffeeFrequency",
    "CoffeeSubscription",
    "Event",
    "EventFormat",
    "EventStatus",
    "Meeting",
    "MeetingMember",
    "OutboxMessage",
    "Registration",
    "RegistrationStatus",
    "Role",
    "Round",
    "RoundKind",
    "RoundStatus",
    "Sector",
    "Setting",
    "Tag",
    "User",
    "event_hosts",
    "user_asks",
    "user_interests",
    "user_offers",
]
