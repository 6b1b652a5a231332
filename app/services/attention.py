"""Who needs the team's attention: people drifting away, newcomers who have not come yet,
people who registered and did not come twice in a row; and a personal word to any of them."""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Event, EventStatus, LevelSnapshot, Registration, RegistrationStatus, User
from app.models.types import utcnow
from app.services import errors
from app.services.links import external_url
from app.services.mail import queue_email

NEWCOMER_GRACE = timedelta(days=30)
NEWCOMER_LATEST = timedelta(days=60)
SHOWN = 100


@dataclass
class Person:
    user: User
    events: int = 0  # events they came to, ever
    last_seen: datetime | None = None


def _with_history(users: list[User]) -> list[Person]:
    ids = [user.id for user in users]
    came = {
        user_id: (count, last)
        for user_id, count, last in db.session.execute(
            sa.select(
                Registration.user_id,
                sa.func.count(Registration.checked_in_at),
                sa.func.max(Registration.checked_in_at),
            )
            .where(Registration.user_id.in_(ids))
            .group_by(Registration.user_id)
        )
    }
    return [Person(user, *came.get(user.id, (0, None))) for user in users]


def drifting() -> list[Person]:
    """Members whose latest level is drifting away, with what they used to do."""
    latest = sa.select(sa.func.max(LevelSnapshot.month)).scalar_subquery()
    users = db.session.scalars(
        sa.select(User)
        .join(LevelSnapshot, LevelSnapshot.user_id == User.id)
        .where(
            LevelSnapshot.month == latest,
            LevelSnapshot.level == "drifting",
            User.deleted_at.is_(None),
        )
        .order_by(User.name_key)
        .limit(SHOWN)
    ).all()
    return _with_history(list(users))


def quiet_newcomers(now: datetime | None = None) -> list[Person]:
    """Joined 30 to 60 days ago and came to nothing yet."""
    now = now or utcnow()
    came = sa.select(Registration.id).where(
        Registration.user_id == User.id, Registration.checked_in_at.is_not(None)
    )
    users = db.session.scalars(
        sa.select(User)
        .where(
            User.deleted_at.is_(None),
            User.created_at <= now - NEWCOMER_GRACE,
            User.created_at > now - NEWCOMER_LATEST,
            ~came.exists(),
        )
        .order_by(User.created_at)
        .limit(SHOWN)
    ).all()
    return _with_history(list(users))


def twice_absent(now: datetime | None = None) -> list[Person]:
    """Their last two confirmed seats, at events that are over, both unused."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(Registration.user_id, Registration.checked_in_at, Event.starts_at)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.status == RegistrationStatus.CONFIRMED,
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at < now,
        )
        .order_by(Registration.user_id, Event.starts_at.desc())
    )
    last_two: dict[int, list] = {}
    for user_id, checked_in, _starts in rows:
        seats = last_two.setdefault(user_id, [])
        if len(seats) < 2:
            seats.append(checked_in)
    absent = [uid for uid, seats in last_two.items() if len(seats) == 2 and not any(seats)]
    users = db.session.scalars(
        sa.select(User)
        .where(User.id.in_(absent[: SHOWN * 2]), User.deleted_at.is_(None))
        .order_by(User.name_key)
        .limit(SHOWN)
    ).all()
    return _with_history(list(users))


def next_event(now: datetime | None = None) -> Event | None:
    now = now or utcnow()
    return db.session.scalars(
        sa.select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
        .order_by(Event.starts_at)
        .limit(1)
    ).first()


def invite_to_next_event(user_id: int, inviter: User) -> Event | None:
    """A personal invitation to the next event, from the one who tapped it; once per event."""
    user = db.session.get(User, user_id)
    event = next_event()
    if user is None or user.email is None or event is None:
        return None
    queue_email(
        user.email,
        "personal_invitation",
        locale=user.locale,
        dedupe_key=f"personal-invitation:{event.id}:{user.id}",
        user=user,
        inviter=inviter,
        event=event,
        event_url=external_url("events.event_page", event_id=event.id),
    )
    return event


NOTE_SUBJECT_LENGTH = 150
NOTE_LENGTH = 5000


def write_to(user_id: int, author: User, subject: str, text: str) -> User:
    """A personal note from one of the team to one member, through the outbox; the member
    replies to the author's own address. The same note sent twice goes once."""
    subject, text = subject.strip(), text.strip()
    if not subject or not text:
        raise errors.PersonalNoteEmpty()
    user = db.session.get(User, user_id)
    if user is None or user.deleted_at is not None or not user.email:
        raise errors.MemberGone(field=None)
    digest = hashlib.sha256(f"{subject}\n{text}".encode()).hexdigest()[:16]
    queue_email(
        user.email,
        "personal_note",
        locale=user.locale,
        dedupe_key=f"personal-note:{author.id}:{user.id}:{digest}",
        user=user,
        author=author,
        subject=subject[:NOTE_SUBJECT_LENGTH],
        text=text[:NOTE_LENGTH],
    )
    return user
