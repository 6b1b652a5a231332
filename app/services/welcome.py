"""The welcome sequence: four mails over a newcomer's first two weeks, run by the worker.

Day 0, a welcome from the community manager (their text, their name); day 3, a nudge to fill
in the profile, if interests or offers are still empty; day 7, the next event, if they have
registered for none; day 14, an invitation to random coffee, if they have not joined it.
A step that no longer applies is skipped. `users.welcome_step` remembers how far each member
is, so a pass costs one small query, and the dedupe keys mean no step is ever mailed twice.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    CoffeeSubscription,
    Event,
    EventStatus,
    Registration,
    User,
)
from app.services import community
from app.services.links import external_url
from app.services.mail import queue_email
from app.services.text import markdown_to_html

DONE = 4
LATEST = timedelta(days=30)  # a sequence not finished by then is left unfinished


@dataclass(frozen=True)
class Step:
    day: int
    template: str


STEPS = (
    Step(0, "welcome"),
    Step(3, "welcome_profile"),
    Step(7, "welcome_event"),
    Step(14, "welcome_coffee"),
)


def _next_event(user: User, now: datetime) -> Event | None:
    """The soonest published event still open: in their city, or online, when they have one."""
    query = (
        sa.select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
        .order_by(Event.starts_at)
    )
    if user.city:
        query = query.where(sa.or_(Event.city == user.city, Event.format != "offline"))
    return db.session.scalars(query.limit(1)).first()


def _applies(step: int, user: User, now: datetime):
    """What the step's mail needs (truthy), or None when the step no longer applies."""
    if step == 0:
        return True
    if step == 1:
        return True if not user.interests or not user.offers else None
    if step == 2:
        registered = db.session.scalar(
            sa.select(sa.func.count()).where(Registration.user_id == user.id)
        )
        return None if registered else _next_event(user, now)
    subscribed = db.session.scalar(
        sa.select(sa.func.count()).where(
            CoffeeSubscription.user_id == user.id, CoffeeSubscription.active.is_(True)
        )
    )
    return None if subscribed else True


def _send(step: int, user: User, found, face: community.Community) -> None:
    context = {"user": user}
    if step == 0:
        context["text"] = markdown_to_html(face.welcome_md) if face.welcome_md else None
        context["signature"] = face.welcome_signature
        context["profile_url"] = external_url("members.edit_profile")
    elif step == 1:
        context["profile_url"] = external_url("members.edit_profile")
    elif step == 2:
        context["event"] = found
        context["event_url"] = external_url("events.event_page", event_id=found.id)
    else:
        context["coffee_url"] = external_url("coffee.coffee_page")
    queue_email(
        user.email,
        STEPS[step].template,
        locale=user.locale,
        dedupe_key=f"welcome:{step}:{user.id}",
        **context,
    )


def send_due(now: datetime) -> int:
    """Every newcomer's due steps, mailed or skipped; how many mails were queued."""
    query = (
        sa.select(User)
        .where(
            User.welcome_step < DONE,
            User.email_confirmed_at.is_not(None),
            User.deleted_at.is_(None),
            User.created_at > now - LATEST,
        )
        .options(selectinload(User.interests), selectinload(User.offers))
    )
    sent = 0
    face = community.load()  # the manager's welcome text, read once for the whole pass
    for user in db.session.scalars(query):
        while user.welcome_step < DONE:
            step = user.welcome_step
            if user.created_at + timedelta(days=STEPS[step].day) > now:
                break
            found = _applies(step, user, now)
            if found is not None:
                _send(step, user, found, face)
                sent += 1
            user.welcome_step = step + 1
    return sent
