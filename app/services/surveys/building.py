"""Building a survey: its questions, from a template or one by one, and their order."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from app.extensions import db
from app.models import Event, Question, QuestionKind, Response, Survey, User


def create_survey(
    creator: User,
    *,
    event: Event | None,
    title: str,
    anonymous: bool,
    audience: str,
    opens_at: datetime | None,
    closes_at: datetime | None,
    with_template: bool,
) -> Survey:
    survey = Survey(
        event_id=event.id if event else None,
        title=title.strip(),
        anonymous=anonymous,
        audience=audience,
        opens_at=opens_at or (event.ends_at if event else None),
        closes_at=closes_at,
        created_by_id=creator.id,
    )
    db.session.add(survey)
    if with_template:
        with force_locale(creator.locale):  # the questions in the host's language
            add_after_event_template(survey)
    db.session.flush()
    return survey


def add_after_event_template(survey: Survey) -> None:
    """The five questions community managers ask after every evening."""
    template = [
        (QuestionKind.RATING, _("How would you rate the event overall?"), [], True),
        (
            QuestionKind.NPS,
            _("How likely are you to recommend our events to a friend or colleague?"),
            [],
            True,
        ),
        (QuestionKind.TEXT, _("What was most valuable for you?"), [], False),
        (QuestionKind.TEXT, _("What should we improve?"), [], False),
        (
            QuestionKind.SINGLE,
            _("Would you come again?"),
            [_("Yes"), _("Maybe"), _("No")],
            True,
        ),
    ]
    start = len(survey.questions)
    for offset, (kind, text, options, required) in enumerate(template):
        survey.questions.append(
            Question(
                kind=kind, text=text, options=options, required=required, position=start + offset
            )
        )


def add_question(survey: Survey, *, kind: str, text: str, options: list[str], required: bool):
    position = max((q.position for q in survey.questions), default=-1) + 1
    question = Question(
        kind=kind,
        text=text.strip(),
        options=_clean(kind, options),
        required=required,
        position=position,
    )
    survey.questions.append(question)
    return question


def edit_question(question: Question, *, text: str, options: list[str], required: bool) -> None:
    question.text = text.strip()
    question.options = _clean(question.kind, options)
    question.required = required


def _clean(kind: str, options: list[str]) -> list[str]:
    if kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return []
    return [o.strip() for o in options if o.strip()][:20]


def move_question(survey: Survey, question: Question, step: int) -> None:
    ordered = list(survey.questions)
    index = ordered.index(question)
    target = min(max(index + step, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, item in enumerate(ordered):
        item.position = position


def has_answers(survey: Survey) -> bool:
    return bool(db.session.scalar(sa.select(sa.exists().where(Response.survey_id == survey.id))))


def surveys_of_event(event_id: int) -> list[Survey]:
    return list(
        db.session.scalars(sa.select(Survey).where(Survey.event_id == event_id).order_by(Survey.id))
    )


def pulse_surveys() -> list[Survey]:
    return list(
        db.session.scalars(
            sa.select(Survey).where(Survey.event_id.is_(None)).order_by(Survey.id.desc())
        )
    )
