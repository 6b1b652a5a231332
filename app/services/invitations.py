"""Invitations: people from an imported list are asked to join, not signed up for them.

An invitation is mailed in the person's language with a link valid for 30 days; it can be
sent again. Accepting it makes the account, from what the list said, with the password the
person chooses; until then they are in no directory, no pairing, no other mail.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Invitation, OutboxMessage, Sector, User
from app.models.types import KYIV_ZONE, utcnow
from app.services import accounts, errors
from app.services.links import external_url
from app.services.mail import queue_email
from app.services.profiles import SPOKEN_LANGUAGES, tags_named

VALID_FOR = timedelta(days=30)
DEDUPE_PREFIX = "invitation:"


def send(invitation: Invitation, *, now: datetime | None = None) -> None:
    """Mail the invitation (again); its link is good for 30 days from now."""
    invitation.times_sent += 1
    invitation.sent_at = now or utcnow()
    queue_email(
        invitation.email,
        "invitation",
        locale=invitation.locale,
        dedupe_key=f"{DEDUPE_PREFIX}{invitation.id}:{invitation.times_sent}",
        name=invitation.name,
        link=external_url("auth.accept_invitation", token=invitation.token),
        days=VALID_FOR.days,
    )


def resend_unaccepted(*, now: datetime | None = None) -> int:
    """Send again to everyone invited who has not joined; how many."""
    waiting = db.session.scalars(sa.select(Invitation).where(Invitation.accepted_at.is_(None)))
    count = 0
    for invitation in waiting:
        send(invitation, now=now)
        count += 1
    return count


def by_token(token: str, *, now: datetime | None = None) -> Invitation:
    invitation = db.session.scalar(sa.select(Invitation).where(Invitation.token == token))
    if invitation is None or invitation.accepted_at is not None:
        raise errors.InvitationUsed()
    if invitation.sent_at is None or (now or utcnow()) - invitation.sent_at > VALID_FOR:
        raise errors.InvitationExpired()
    return invitation


def accept(token: str, *, name: str, password: str, consent_version: int = 0) -> User:
    """The account, made from the invitation and what the list said of them."""
    invitation = by_token(token)
    user = accounts.create_user(
        email=invitation.email,
        name=name or invitation.name,
        password=password,
        locale=invitation.locale,
        consent_version=consent_version,
    )
    profile = invitation.profile or {}
    sector_id = profile.get("sector_id")
    user.sector_id = sector_id if sector_id and db.session.get(Sector, sector_id) else None
    user.organisation = profile.get("organisation", "")
    user.city = profile.get("city", "")
    user.contact = profile.get("contact", "")
    user.languages = [code for code in SPOKEN_LANGUAGES if code in profile.get("languages", [])]
    user.interests = tags_named(profile.get("interests", []))
    user.offers = tags_named(profile.get("offers", []))
    user.asks = tags_named(profile.get("asks", []))
    if profile.get("joined"):  # a member for two years is no newcomer
        joined = datetime.combine(date.fromisoformat(profile["joined"]), time(12), KYIV_ZONE)
        user.created_at = min(joined, utcnow())
    invitation.accepted_at, invitation.user_id = utcnow(), user.id
    return user


@dataclass
class InvitationCounts:
    invited: int
    accepted: int
    bounced: int

    @property
    def waiting(self) -> int:
        return self.invited - self.accepted


def counts() -> InvitationCounts:
    invited, accepted = db.session.execute(
        sa.select(sa.func.count(), sa.func.count(Invitation.accepted_at))
    ).one()
    bounced = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(OutboxMessage.to))).where(
            OutboxMessage.dedupe_key.startswith(DEDUPE_PREFIX), OutboxMessage.failed_at.is_not(None)
        )
    )
    return InvitationCounts(invited=invited, accepted=accepted, bounced=bounced)
