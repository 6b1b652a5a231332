"""Answering a survey: who may, what a submitted form means, and one response each."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import (
    Answer,
    Audience,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Respondent,
    Response,
    Survey,
    User,
)
from app.models.types import utcnow
from app.services import errors
from app.services.links import external_url, read_signed, signed

TOKEN_SALT = "survey-link"
TEXT_LIMIT = 5000


def _audience(survey: Survey) -> tuple[sa.Select, sa.ColumnElement]:
    """Who the survey is for, as a query of user ids, and the column holding the id."""
    if survey.event_id is None or survey.audience == Audience.MEMBERS:
        query = sa.select(User.id).where(User.deleted_at.is_(None), User.email.is_not(None))
        return query, User.id
    query = sa.select(Registration.user_id).where(
        Registration.event_id == survey.event_id,
        Registration.status == RegistrationStatus.CONFIRMED,
    )
    if survey.audience == Audience.CHECKED_IN:
        query = query.where(Registration.checked_in_at.is_not(None))
    return query, Registration.user_id


def audience_ids(survey: Survey) -> list[int]:
    return list(db.session.scalars(_audience(survey)[0]))


def in_audience(survey: Survey, user: User) -> bool:
    query, user_id = _audience(survey)
    return db.session.scalar(sa.select(query.where(user_id == user.id).exists()))


def check_can_answer(survey: Survey, user: User, now: datetime) -> None:
    if not survey.is_open(now):
        raise errors.SurveyClosed()
    if not in_audience(survey, user):
        raise errors.SurveyNotForYou()
    if has_answered(survey, user):
        raise errors.AlreadyAnswered()


def has_answered(survey: Survey, user: User) -> bool:
    respondent = db.session.get(Respondent, (survey.id, user.id))
    return bool(respondent and respondent.answered)


# The numbers each kind of question takes; a choice is the index of an option.
SCALES = {QuestionKind.RATING: (1, 5), QuestionKind.NPS: (0, 10)}


def read_answers(survey: Survey, form: MultiDict) -> tuple[dict[int, object], dict[int, str]]:
    """The submitted form read against the survey's own questions: each answer within its
    question's range, and a message for each question that needs one. Nothing a question
    does not ask for is kept."""
    answers, problems = {}, {}
    for question in survey.questions:
        name = f"q{question.id}"
        if question.kind == QuestionKind.MULTIPLE:
            chosen = {_number(raw, 0, len(question.options) - 1) for raw in form.getlist(name)}
            value = sorted(chosen - {None})
        elif question.kind == QuestionKind.TEXT:
            value = form.get(name, "").strip()[:TEXT_LIMIT]
        else:
            raw = form.get(name, "").strip()
            low, high = SCALES.get(question.kind, (0, len(question.options) - 1))
            value = _number(raw, low, high) if raw else ""
            if value is None:
                problems[question.id] = _("Choose one of the options.")
                continue
        if value in ("", []):
            if question.required:
                problems[question.id] = _("Please answer this question.")
            continue
        answers[question.id] = value
    return answers, problems


def _number(text: str, low: int, high: int) -> int | None:
    """ASCII digits within [low, high]; anything else is not an answer."""
    if not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if low <= value <= high else None


def submit(
    survey: Survey, user: User, answers: dict[int, object], *, may_quote=False, now=None
) -> None:
    """Store one response. The Respondent row is claimed first, so a second submit — a
    double-click, the back button, another tab — fails here and stores nothing. `may_quote`:
    a named respondent lets the community quote their written answers, without their name."""
    now = now or utcnow()
    check_can_answer(survey, user, now)
    claimed = db.session.execute(
        sa.update(Respondent)
        .where(
            Respondent.survey_id == survey.id,
            Respondent.user_id == user.id,
            Respondent.answered.is_(False),
        )
        .values(answered=True, answered_at=now)
    ).rowcount
    if not claimed:
        try:
            with db.session.begin_nested():
                db.session.add(
                    Respondent(survey_id=survey.id, user_id=user.id, answered=True, answered_at=now)
                )
        except IntegrityError:
            raise errors.AlreadyAnswered() from None
    response = Response(
        survey_id=survey.id,
        user_id=None if survey.anonymous else user.id,
        submitted_on=None if survey.anonymous else now.date(),
        may_quote=bool(may_quote) and not survey.anonymous,
    )
    db.session.add(response)
    db.session.flush()
    for question in survey.questions:
        value = answers.get(question.id)
        if value in (None, "", []):
            continue
        if question.kind == QuestionKind.MULTIPLE:
            for option in value:
                db.session.add(
                    Answer(response_id=response.id, question_id=question.id, option=int(option))
                )
        elif question.kind == QuestionKind.SINGLE:
            db.session.add(
                Answer(response_id=response.id, question_id=question.id, option=int(value))
            )
        elif question.kind == QuestionKind.TEXT:
            db.session.add(
                Answer(
                    response_id=response.id, question_id=question.id, text=str(value)[:TEXT_LIMIT]
                )
            )
        else:
            db.session.add(
                Answer(response_id=response.id, question_id=question.id, number=int(value))
            )


def answer_link(survey: Survey, user: User) -> str:
    token = signed(TOKEN_SALT, survey=survey.id, user=user.id)
    return external_url("surveys.answer", survey_id=survey.id, token=token)


def user_for_token(survey_id: int, token: str) -> User | None:
    data = read_signed(TOKEN_SALT, token)
    if data is None or data.get("survey") != survey_id or not isinstance(data.get("user"), int):
        return None
    user = db.session.get(User, data.get("user"))
    return user if user is not None and user.is_active else None
