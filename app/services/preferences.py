"""Which kinds of message a member receives on which channel, and the one-click unsubscribe
behind each email.

Messages about a member's own registrations (a seat taken or given up, a change to their
event) always go by email; so does what follows their other actions (a reset link), which
has no kind at all. The other kinds (`MailCategory`) go by email unless the member turned
them off; each carries a signed link that turns its kind off in one click (RFC 8058). With a
Telegram chat linked, each kind may also go there: reminders do unless turned off, the
others when turned on.
"""

import sqlalchemy as sa

from app.extensions import db
from app.models import CoffeeSubscription, MailCategory, Preference, User
from app.services.links import external_url, read_signed, signed

UNSUBSCRIBE_SALT = "unsubscribe"
EMAIL = "email"
TELEGRAM = "telegram"
TELEGRAM_BY_DEFAULT = {MailCategory.REMINDERS}  # timely, short: where people look first
ALWAYS_BY_EMAIL = {MailCategory.REGISTRATIONS}
OPTIONAL_BY_EMAIL = [category for category in MailCategory if category not in ALWAYS_BY_EMAIL]


def _default(category: str, channel: str) -> bool:
    return channel == EMAIL or category in TELEGRAM_BY_DEFAULT


def wants(user_id: int, category: str, channel: str = EMAIL) -> bool:
    if channel == EMAIL and category in ALWAYS_BY_EMAIL:
        return True
    choice = db.session.get(Preference, (user_id, category, channel))
    return choice.enabled if choice is not None else _default(category, channel)


def choices_of(user_id: int, channel: str = EMAIL) -> dict[str, bool]:
    """Each kind the member may choose on the channel, and whether it is on."""
    kinds = OPTIONAL_BY_EMAIL if channel == EMAIL else list(MailCategory)
    saved = {
        p.category: p.enabled
        for p in db.session.scalars(
            sa.select(Preference).where(
                Preference.user_id == user_id, Preference.channel == channel
            )
        )
    }
    return {category: saved.get(category, _default(category, channel)) for category in kinds}


def set_choice(user: User, category: str, enabled: bool, channel: str = EMAIL) -> None:
    """Turning coffee mail off is leaving random coffee: a match nobody hears of is lost."""
    if channel == EMAIL and category in ALWAYS_BY_EMAIL:
        return
    choice = db.session.get(Preference, (user.id, category, channel))
    if choice is None:
        choice = Preference(user_id=user.id, category=category, channel=channel)
        db.session.add(choice)
    choice.enabled = enabled
    if channel == EMAIL and category == MailCategory.COFFEE and not enabled:
        subscription = db.session.get(CoffeeSubscription, user.id)
        if subscription is not None:
            subscription.active = False


def unsubscribe_url(user_id: int, category: str) -> str:
    token = signed(UNSUBSCRIBE_SALT, user=user_id, category=str(category))
    return external_url("preferences.unsubscribe", token=token)


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    data = read_signed(UNSUBSCRIBE_SALT, token)
    if data is None or data.get("category") not in OPTIONAL_BY_EMAIL:
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data.get("user"), int) else None
    if user is None or user.deleted_at is not None:
        return None
    return user, data["category"]
