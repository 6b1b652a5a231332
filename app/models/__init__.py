"""Typed models, one module per domain. Importing this package registers every table."""

from app.models.accounts import Role, Sector, Tag, User, user_asks, user_interests, user_offers
from app.models.mail import OutboxMessage

__all__ = [
    "OutboxMessage",
    "Role",
    "Sector",
    "Tag",
    "User",
    "user_asks",
    "user_interests",
    "user_offers",
]
