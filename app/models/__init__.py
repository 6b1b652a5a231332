"""Typed models, one module per domain. Importing this package registers every table."""

from app.models.accounts import Role, Sector, Tag, User, user_asks, user_interests, user_offers
from app.models.events import (
    CardJob,
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
from app.models.surveys import (
    Answer,
    Audience,
    Question,
    QuestionKind,
    Respondent,
    Response,
    Survey,
)

__all__ = [
    "Answer",
    "Audience",
    "Block",
    "CardJob",
    "CoffeeFormat",
    "CoffeeFrequency",
    "CoffeeSubscription",
    "Event",
    "EventFormat",
    "EventStatus",
    "Meeting",
    "MeetingMember",
    "OutboxMessage",
    "Question",
    "QuestionKind",
    "Registration",
    "RegistrationStatus",
    "Respondent",
    "Response",
    "Role",
    "Round",
    "RoundKind",
    "RoundStatus",
    "Sector",
    "Setting",
    "Survey",
    "Tag",
    "User",
    "event_hosts",
    "user_asks",
    "user_interests",
    "user_offers",
]
