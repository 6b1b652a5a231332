"""Inviting a survey's audience when it opens, and reminding who has not answered, once."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import Event, MailCategory, Respondent, Survey, User
from app.services.mail import queue_email
from app.services.surveys.answering import answer_link, audience_ids

REMIND_AFTER = timedelta(days=3)


def send_due_invitations(now: datetime) -> int:
    """Open what is due: invite the audience once, then remind who has not answered, once."""
    sent = 0
    due = db.session.scalars(
        sa.select(Survey).where(
            Survey.scheduled.is_(True),
            Survey.opens_at <= now,
            sa.or_(Survey.closes_at.is_(None), Survey.closes_at > now),
            sa.or_(Survey.invited_at.is_(None), Survey.reminded_at.is_(None)),
        )
    ).all()
    for survey in due:
        if survey.invited_at is None:
            sent += _invite(survey, now)
            survey.invited_at = now
        elif survey.invited_at <= now - REMIND_AFTER:
            sent += _remind(survey)
            survey.reminded_at = now
    return sent


def _invite(survey: Survey, now: datetime) -> int:
    ids = audience_ids(survey)
    known = set(
        db.session.scalars(sa.select(Respondent.user_id).where(Respondent.survey_id == survey.id))
    )
    for user_id in ids:
        if user_id not in known:
            db.session.add(Respondent(survey_id=survey.id, user_id=user_id, invited=True))
    return _mail(survey, ids, "survey_invitation")


def _remind(survey: Survey) -> int:
    waiting = db.session.scalars(
        sa.select(Respondent.user_id).where(
            Respondent.survey_id == survey.id, Respondent.answered.is_(False)
        )
    ).all()
    return _mail(survey, waiting, "survey_reminder")


def _mail(survey: Survey, user_ids, template: str) -> int:
    event = db.session.get(Event, survey.event_id) if survey.event_id else None
    count = 0
    for user in db.session.scalars(sa.select(User).where(User.id.in_(list(user_ids)))):
        if not user.email:
            continue
        queued = queue_email(
            user.email,
            template,
            locale=user.locale,
            category=MailCategory.SURVEYS,
            recipient_id=user.id,
            dedupe_key=f"{template}:{survey.id}:{user.id}",
            user=user,
            survey=survey,
            event=event,
            link=answer_link(survey, user),
            minutes=max(2, len(survey.questions) // 2),
        )
        count += queued is not None
    return count
