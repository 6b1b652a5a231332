"""Surveys: build them, send them to the right people, take answers once, sum them up."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import (
    Answer,
    Audience,
    Event,
    MailCategory,
    Meeting,
    MeetingMember,
    Question,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Respondent,
    Response,
    Round,
    Survey,
    User,
)
from app.models.types import utcnow
from app.services import errors
from app.services.links import external_url, read_signed, signed
from app.services.mail import queue_email
from app.services.spreadsheets import csv_text

REMIND_AFTER = timedelta(days=3)
TEXTS_SHOWN = 100
TOKEN_SALT = "survey-link"


# --- building -------------------------------------------------------------------------------


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


# --- who may answer -------------------------------------------------------------------------


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


def submit(survey: Survey, user: User, answers: dict[int, object], *, now=None) -> None:
    """Store one response. The Respondent row is claimed first, so a second submit — a
    double-click, the back button, another tab — fails here and stores nothing."""
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
                Answer(response_id=response.id, question_id=question.id, text=str(value)[:5000])
            )
        else:
            db.session.add(
                Answer(response_id=response.id, question_id=question.id, number=int(value))
            )


# --- links, invitations, reminders ----------------------------------------------------------


def answer_link(survey: Survey, user: User) -> str:
    token = signed(TOKEN_SALT, survey=survey.id, user=user.id)
    return external_url("surveys.answer", survey_id=survey.id, token=token)


def user_for_token(survey_id: int, token: str) -> User | None:
    data = read_signed(TOKEN_SALT, token)
    if data is None or data.get("survey") != survey_id or not isinstance(data.get("user"), int):
        return None
    user = db.session.get(User, data.get("user"))
    return user if user is not None and user.is_active else None


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


# --- results --------------------------------------------------------------------------------


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    counts: dict[int, int] = field(default_factory=dict)  # option or value -> how many
    average: float | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def nps(self) -> dict | None:
        if self.question.kind != QuestionKind.NPS or not self.answered:
            return None
        promoters = sum(n for v, n in self.counts.items() if v >= 9)
        detractors = sum(n for v, n in self.counts.items() if v <= 6)
        passives = self.answered - promoters - detractors
        score = round(100 * (promoters - detractors) / self.answered)
        return {
            "score": score,
            "promoters": promoters,
            "passives": passives,
            "detractors": detractors,
        }

    @property
    def bars(self) -> list[tuple[str, int]]:
        kind = self.question.kind
        if kind == QuestionKind.RATING:
            return [(str(v), self.counts.get(v, 0)) for v in range(1, 6)]
        if kind == QuestionKind.NPS:
            return [(str(v), self.counts.get(v, 0)) for v in range(0, 11)]
        if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return [(text, self.counts.get(i, 0)) for i, text in enumerate(self.question.options)]
        return []


@dataclass
class SurveyResults:
    invited: int
    responses: int
    questions: list[QuestionResult]
    meetings: dict | None = None

    @property
    def rate(self) -> float | None:
        return self.responses / self.invited if self.invited else None


def results(survey: Survey) -> SurveyResults:
    """Every figure as an SQL aggregate: the number of queries does not grow with answers."""
    invited = db.session.scalar(sa.select(sa.func.count()).where(Respondent.survey_id == survey.id))
    responses = db.session.scalar(sa.select(sa.func.count()).where(Response.survey_id == survey.id))
    by_question = {q.id: QuestionResult(q) for q in survey.questions}
    in_survey = Answer.question_id.in_(list(by_question) or [-1])
    # Choices and numbers: counts per value.
    rows = db.session.execute(
        sa.select(
            Answer.question_id,
            sa.func.coalesce(Answer.number, Answer.option),
            sa.func.count(),
        )
        .where(in_survey, Answer.text.is_(None))
        .group_by(Answer.question_id, sa.func.coalesce(Answer.number, Answer.option))
    )
    for question_id, value, count in rows:
        by_question[question_id].counts[value] = count
    # How many people answered each question, and the average of numbers.
    for question_id, answered, average in db.session.execute(
        sa.select(
            Answer.question_id,
            sa.func.count(sa.distinct(Answer.response_id)),
            sa.func.avg(Answer.number),
        )
        .where(in_survey)
        .group_by(Answer.question_id)
    ):
        result = by_question[question_id]
        result.answered = answered
        result.average = float(average) if average is not None else None
    # The first texts of each question (the CSV has them all): a page stays readable.
    numbered = (
        sa.select(
            Answer.question_id,
            Answer.text,
            sa.func.row_number()
            .over(partition_by=Answer.question_id, order_by=Answer.text)
            .label("n"),
        )
        .where(in_survey, Answer.text.is_not(None))
        .subquery()
    )
    for question_id, text in db.session.execute(
        sa.select(numbered.c.question_id, numbered.c.text)
        .where(numbered.c.n <= TEXTS_SHOWN)
        .order_by(numbered.c.question_id, numbered.c.n)
    ):
        by_question[question_id].texts.append(text)
    return SurveyResults(
        invited=invited,
        responses=responses,
        questions=[by_question[q.id] for q in survey.questions],
        meetings=meeting_feedback(survey.event_id) if survey.event_id else None,
    )


def meeting_feedback(event_id: int) -> dict | None:
    """The event's networking rounds: how many said they met, and how they rated it."""
    answered, met, rating = db.session.execute(
        sa.select(
            sa.func.count(MeetingMember.met),
            sa.func.count().filter(MeetingMember.met == "yes"),
            sa.func.avg(MeetingMember.rating),
        )
        .join(Meeting, Meeting.id == MeetingMember.meeting_id)
        .join(Round, Round.id == Meeting.round_id)
        .where(Round.event_id == event_id)
    ).one()
    if not answered:
        return None
    return {
        "answered": answered,
        "met_rate": met / answered,
        "rating": float(rating) if rating else None,
    }


def results_csv(survey: Survey) -> str:
    """One row per response; no identity columns when the survey is anonymous."""
    questions = list(survey.questions)
    identity = [] if survey.anonymous else [_("Name"), _("Email"), _("Submitted on")]
    rows = [identity + [q.text for q in questions]]
    values: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    position = {q.id: q for q in questions}
    for response_id, question_id, option, number, text in db.session.execute(
        sa.select(Answer.response_id, Answer.question_id, Answer.option, Answer.number, Answer.text)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.survey_id == survey.id)
    ):
        question = position[question_id]
        if text is not None:
            values[response_id][question_id].append(text)
        elif number is not None:
            values[response_id][question_id].append(str(number))
        elif 0 <= option < len(question.options):
            values[response_id][question_id].append(question.options[option])
    people = db.session.execute(
        sa.select(Response.id, User.name, User.email, Response.submitted_on)
        .outerjoin(User, User.id == Response.user_id)
        .where(Response.survey_id == survey.id)
        .order_by(Response.id)  # random ids: a stable order that says nothing about time
    )
    for response_id, name, email, submitted_on in people:
        row = [] if survey.anonymous else [name or "", email or "", submitted_on or ""]
        row += ["; ".join(values[response_id].get(q.id, [])) for q in questions]
        rows.append(row)
    return csv_text(rows)


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
