"""Which kinds of mail a member receives, and the one-click unsubscribe behind each.

Mail that follows a person's own action (a confirmation, a cancellation, a reset link)
always goes. Bulk kinds (`MailCategory`) go unless the member turned them off; each carries
a signed link that turns its kind off in one click (RFC 8058).
"""

import sqlalchemy as sa

from app.extensions import db
from app.models import CoffeeSubscription, MailCategory, Preference, User
from app.services.links import external_url, read_signed, signed

UNSUBSCRIBE_SALT = "unsubscribe"
EMAIL = "email"


def wants(user_id: int, category: str) -> bool:
    choice = db.session.get(Preference, (user_id, category, EMAIL))
    return choice is None or choice.enabled


def choices_of(user_id: int) -> dict[str, bool]:
    saved = {
        p.category: p.enabled
        for p in db.session.scalars(sa.select(Preference).where(Preference.user_id == user_id))
    }
    return {category: saved.get(category, True) for category in MailCategory}


def set_choice(user: User, category: str, enabled: bool) -> None:
    """Turning coffee mail off is leaving random coffee: a match nobody hears of is lost."""
    choice = db.session.get(Preference, (user.id, category, EMAIL))
    if choice is None:
        choice = Preference(user_id=user.id, category=category, channel=EMAIL)
        db.session.add(choice)
    choice.enabled = enabled
    if category == MailCategory.COFFEE and not enabled:
        subscription = db.session.get(CoffeeSubscription, user.id)
        if subscription is not None:
            subscription.active = False


def unsubscribe_url(user_id: int, category: str) -> str:
    token = signed(UNSUBSCRIBE_SALT, user=user_id, category=str(category))
    return external_url("preferences.unsubscribe", token=token)


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    data = read_signed(UNSUBSCRIBE_SALT, token)
    if data is None or data.get("category") not in set(MailCategory):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data.get("user"), int) else None
    if user is None or user.deleted_at is not None:
        return None
    return user, data["category"]
