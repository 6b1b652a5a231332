"""A member's own events: what is coming and where they stand in it, and what is past (did
they come, is there a survey waiting for them)."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from markupsafe import Markup
from sqlalchemy.orm import contains_eager

from app.extensions import db
from app.models import Event, EventStatus, Registration, RegistrationStatus, Survey
from app.models.surveys import Audience, Respondent
from app.services.links import external_url, qr_svg
from app.services.registration import waitlist_positions

# A seat that still means something to its holder; cancelled and rejected ones do not.
HELD = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING)


@dataclass(frozen=True)
class MySeat:
    registration: Registration
    waitlist_position: int | None = None  # 1: the next seat that frees up is theirs
    survey: Survey | None = None  # open, meant for them, not answered yet

    @property
    def event(self) -> Event:
        return self.registration.event

    @property
    def ticket_qr(self) -> Markup:
        """What the hosts scan at the door, large on the phone's screen, with its quiet zone."""
        link = external_url("events.ticket", token=self.registration.ticket_token)
        return qr_svg(link, border=4, css_class="ticket-qr")


@dataclass(frozen=True)
class MyEvents:
    upcoming: list[MySeat]  # soonest first
    past: list[MySeat]  # latest first; only events they had a seat at


def my_events(user_id: int, now: datetime) -> MyEvents:
    """Three queries, however many events: the seats with their events, the waitlist
    positions, the surveys still to answer."""
    seats = db.session.scalars(
        sa.select(Registration)
        .join(Registration.event)
        .where(
            Registration.user_id == user_id,
            Registration.status.in_(HELD),
            Event.status != EventStatus.DRAFT,
        )
        .options(contains_eager(Registration.event))
        .order_by(Event.starts_at, Event.id)
    ).all()
    upcoming = [seat for seat in seats if seat.event.ends_at >= now]
    past = [
        seat
        for seat in reversed(seats)
        if seat.event.ends_at < now and seat.status == RegistrationStatus.CONFIRMED
    ]
    positions = waitlist_positions(upcoming)
    surveys = _surveys_to_answer(user_id, past, now)
    return MyEvents(
        upcoming=[MySeat(seat, waitlist_position=positions.get(seat.id)) for seat in upcoming],
        past=[MySeat(seat, survey=surveys.get(seat.event_id)) for seat in past],
    )


def _surveys_to_answer(user_id: int, past: list[Registration], now: datetime) -> dict:
    """By event: the first open survey of it that is meant for this member (a survey for
    those who came asks only them) and that they have not answered."""
    seats = {seat.event_id: seat for seat in past}
    if not seats:
        return {}
    answered = sa.select(Respondent.survey_id).where(
        Respondent.user_id == user_id, Respondent.answered
    )
    candidates = db.session.scalars(
        sa.select(Survey)
        .where(Survey.event_id.in_(list(seats)), Survey.id.not_in(answered))
        .order_by(Survey.id)
    )
    found = {}
    for survey in candidates:
        came = seats[survey.event_id].checked_in_at is not None
        if survey.is_open(now) and (came or survey.audience != Audience.CHECKED_IN):
            found.setdefault(survey.event_id, survey)
    return found
