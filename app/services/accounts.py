"""Accounts: sign up, log in, reset a password, change role, delete."""

import functools
import hashlib
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import (
    Block,
    CoffeeSubscription,
    Event,
    MeetingMember,
    OutboxMessage,
    Registration,
    Respondent,
    Response,
    Role,
    Round,
    RoundStatus,
    User,
)
from app.models.accounts import new_calendar_token
from app.models.types import utcnow
from app.services import community, errors, registration
from app.services.collation import name_key
from app.services.links import external_url, read_signed, signed
from app.services.mail import queue_email

RESET_SALT = "password-reset"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def set_name(user: User, name: str) -> None:
    user.name = " ".join(name.split())
    user.name_key = name_key(user.name)


def create_user(
    *,
    email: str,
    name: str,
    password: str,
    locale: str = "uk",
    role: Role = Role.MEMBER,
    consent_version: int = 0,
    confirmed: bool = True,
) -> User:
    """A new account; `consent_version` is the policies' version the person agreed to. One
    made by a sign-up is not `confirmed` until its owner opens the link mailed to them."""
    email = normalise_email(email)
    if user_by_email(email) is not None:
        raise errors.EmailTaken()
    user = User(
        email=email,
        password_hash=hash_password(password),
        locale=locale,
        role=role,
    )
    set_name(user, name)
    db.session.add(user)
    db.session.flush()  # the unique index is the real guard; flush surfaces it here
    community.record_consent(user.id, consent_version)
    if not confirmed:
        # After the insert: given as None before it, the column's default would fill it in.
        user.email_confirmed_at = None
        send_confirmation(user)
    return user


CONFIRM_PURPOSE = "confirm-email"


def send_confirmation(user: User, *, now: datetime | None = None) -> None:
    """Mail the link that confirms the address; at most one every ten minutes."""
    now = now or utcnow()
    token = signed(CONFIRM_PURPOSE, user=user.id, email=user.email)
    queue_email(
        user.email,
        "confirm_email",
        locale=user.locale,
        dedupe_key=f"confirm:{user.id}:{int(now.timestamp()) // 600}",
        user=user,
        link=external_url("auth.confirm_email", token=token),
    )


def confirm_email(token: str) -> User:
    """The link's owner shows the address is theirs (still theirs: a changed email needs
    a new link)."""
    data = read_signed(CONFIRM_PURPOSE, token) or {}
    user = db.session.get(User, data.get("user", 0)) if isinstance(data.get("user"), int) else None
    if user is None or user.email is None or user.email != data.get("email"):
        raise errors.InvalidConfirmation()
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    return user


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@functools.cache
def _dummy_hash(method: str) -> str:
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def authenticate(email: str, password: str) -> User:
    user = user_by_email(email)
    if user is None or not user.password_hash or not user.is_active:
        # Hash anyway so a wrong email takes as long as a wrong password.
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        raise errors.InvalidCredentials()
    if not check_password_hash(user.password_hash, password):
        raise errors.InvalidCredentials()
    return user


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # The token names the password it replaces; once that changes, the token is spent.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def password_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"user": user.id, "password": _password_fingerprint(user)})


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way."""
    user = user_by_email(email)
    if user is None or not user.is_active:
        return
    _mail_password_link(user, "password_reset")


def welcome_walk_in(user: User) -> None:
    """Mail someone whose account a host made at the door a link to choose a password."""
    _mail_password_link(user, "walk_in_welcome", again=external_url("auth.request_reset"))


def _mail_password_link(user: User, template: str, **context) -> None:
    queue_email(
        user.email,
        template,
        locale=user.locale,
        user=user,
        link=external_url("auth.reset_password", token=password_reset_token(user)),
        minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60,
        **context,
    )


def user_for_reset_token(token: str) -> User:
    try:
        data = _reset_serializer().loads(
            token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"]
        )
    except (SignatureExpired, BadSignature):
        raise errors.InvalidResetToken() from None
    if not isinstance(data, dict):
        raise errors.InvalidResetToken()
    user = db.session.get(User, data.get("user"))
    if user is None or not user.is_active or data.get("password") != _password_fingerprint(user):
        raise errors.InvalidResetToken()
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    user.password_hash = hash_password(new_password)
    return user


def set_locale(user: User, locale: str) -> None:
    if locale in current_app.config["LANGUAGES"]:
        user.locale = locale


def change_role(user: User, role: Role) -> None:
    if user.role == Role.ADMIN and role != Role.ADMIN and _admin_count() <= 1:
        raise errors.LastAdmin()
    user.role = role


def _admin_count() -> int:
    query = sa.select(sa.func.count()).where(User.role == Role.ADMIN, User.deleted_at.is_(None))
    return db.session.scalar(query)


def delete_account(user: User, password: str) -> None:
    """Erase what identifies the person; keep the row so past records stay counted.

    Past registrations, meetings and survey answers point at this row and stay, now
    anonymous. What is still to come is given up: seats (the waitlist moves up), random
    coffee, unanswered survey invitations, mail not yet sent, blocks.
    """
    if not user.password_hash or not check_password_hash(user.password_hash, password):
        raise errors.WrongPassword()
    if user.role == Role.ADMIN and _admin_count() <= 1:
        raise errors.LastAdmin()
    email = user.email
    _erase_identity(user)
    _leave_what_is_to_come(user, email)


def _erase_identity(user: User) -> None:
    user.email = None
    user.password_hash = None
    user.name = ""
    user.name_key = ""
    user.role = Role.MEMBER
    user.sector_id = None
    user.organisation = ""
    user.city = ""
    user.languages = []
    user.bio = ""
    user.contact = ""
    user.interests = []
    user.offers = []
    user.asks = []
    user.calendar_token = new_calendar_token()
    user.deleted_at = utcnow()


def _leave_what_is_to_come(user: User, email: str | None) -> None:
    now = utcnow()
    upcoming = db.session.scalars(
        sa.select(Registration.event_id)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.user_id == user.id,
            Registration.status.in_(registration.ACTIVE),
            Event.ends_at > now,
        )
        .order_by(Registration.event_id)  # one order of event locks everywhere
    ).all()
    for event_id in upcoming:
        registration.cancel(event_id, user)  # no mail to them: the address is gone
    db.session.execute(sa.delete(CoffeeSubscription).where(CoffeeSubscription.user_id == user.id))
    # Out of rounds not yet published: the host's next draft pairs the others.
    drafts = sa.select(Round.id).where(Round.status == RoundStatus.DRAFT)
    db.session.execute(
        sa.delete(MeetingMember).where(
            MeetingMember.user_id == user.id, MeetingMember.round_id.in_(drafts)
        )
    )
    db.session.execute(
        sa.delete(Block).where(sa.or_(Block.blocker_id == user.id, Block.blocked_id == user.id))
    )
    db.session.execute(
        sa.delete(Respondent).where(Respondent.user_id == user.id, Respondent.answered.is_(False))
    )
    # Named answers stay in the results, without the name.
    db.session.execute(sa.update(Response).where(Response.user_id == user.id).values(user_id=None))
    if email:
        db.session.execute(
            sa.delete(OutboxMessage).where(
                OutboxMessage.to == email, OutboxMessage.sent_at.is_(None)
            )
        )


def user_by_calendar_token(token: str) -> User | None:
    query = sa.select(User).where(User.calendar_token == token, User.deleted_at.is_(None))
    return db.session.scalar(query)


def reset_calendar_token(user: User) -> None:
    user.calendar_token = new_calendar_token()
