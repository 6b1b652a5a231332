"""A member's story for the team, in one timeline: joining, events, meetings and how they went,
introductions, surveys answered (which ones, never what was said) and the team's notes."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from app.extensions import db
from app.models import Introduction, Note, Respondent, Survey, User
from app.services import introductions
from app.services.history import MemberHistory

SURVEYS_SHOWN = 25


@dataclass
class Chapter:
    when: datetime
    kind: str  # joined | event | meeting | introduction | survey | note
    subject: object  # the User, Registration, MeetingMember, Introduction, Survey or Note


def _surveys_answered(user_id: int) -> list[tuple[datetime, Survey]]:
    """Which surveys they answered and when: the Respondent row, kept apart from the answers,
    says so for anonymous surveys too without saying what."""
    rows = db.session.execute(
        sa.select(Respondent.answered_at, Survey)
        .join(Survey, Survey.id == Respondent.survey_id)
        .where(
            Respondent.user_id == user_id,
            Respondent.answered.is_(True),
            Respondent.answered_at.is_not(None),
        )
        .order_by(Respondent.answered_at.desc())
        .limit(SURVEYS_SHOWN)
    )
    return [(when, survey) for when, survey in rows]


def member_story(member: User, history: MemberHistory, notes: list[Note]) -> list[Chapter]:
    """Newest first. Events and meetings are the history's own (its latest ones)."""
    chapters = [Chapter(member.created_at, "joined", member)]
    chapters += [
        Chapter(seat.checked_in_at or seat.event.starts_at, "event", seat)
        for seat in history.registrations
    ]
    chapters += [
        Chapter(seat.round.starts_at, "meeting", seat)
        for seat in history.meetings
        if seat.round.starts_at and seat.round.kind != "introduction"
    ]
    introduced: list[Introduction] = introductions.of_member(member.id)
    chapters += [
        Chapter(introduction.sent_at or introduction.created_at, "introduction", introduction)
        for introduction in introduced
    ]
    chapters += [Chapter(when, "survey", survey) for when, survey in _surveys_answered(member.id)]
    chapters += [Chapter(note.created_at, "note", note) for note in notes]
    return sorted(chapters, key=lambda chapter: chapter.when, reverse=True)
