"""A survey's results: counts, averages, NPS and texts, as SQL aggregates, and the CSV's rows."""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.models import (
    Answer,
    Meeting,
    MeetingMember,
    MetAnswer,
    Question,
    QuestionKind,
    Respondent,
    Response,
    Round,
    Survey,
    User,
)

TEXTS_SHOWN = 100


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
            sa.func.count().filter(MeetingMember.met == MetAnswer.YES),
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


def results_rows(survey: Survey) -> Iterator[list]:
    """The CSV's rows, one per response, read as they are written (a survey of thousands
    is never held whole); no identity columns when the survey is anonymous. The survey is
    read now: the rows are read after the view has returned, its session gone."""
    questions = [(q.id, q.text, list(q.options)) for q in survey.questions]
    identity = [] if survey.anonymous else [_("Name"), _("Email"), _("Submitted on")]
    return _rows(survey.id, survey.anonymous, questions, identity)


def _rows(survey_id: int, anonymous: bool, questions, identity: list[str]) -> Iterator[list]:
    yield identity + [text for _id, text, _options in questions]
    options_of = {question_id: options for question_id, _text, options in questions}
    columns = (Answer.question_id, Answer.option, Answer.number, Answer.text)
    answers = db.session.execute(
        sa.select(Response.id, User.name, User.email, Response.submitted_on, *columns)
        .outerjoin(User, User.id == Response.user_id)
        .outerjoin(Answer, Answer.response_id == Response.id)
        .where(Response.survey_id == survey_id)
        .order_by(Response.id)  # random ids: a stable order that says nothing about time
        .execution_options(yield_per=500)
    )
    for _response_id, group in groupby(answers, key=lambda row: row[0]):
        rows = list(group)
        _id, name, email, submitted_on = rows[0][:4]
        values: dict[int, list[str]] = defaultdict(list)
        for question_id, option, number, text in (row[4:] for row in rows):
            options = options_of.get(question_id)
            if options is None:
                continue  # a response with no answers
            if text is not None:
                values[question_id].append(text)
            elif number is not None:
                values[question_id].append(str(number))
            elif 0 <= option < len(options):
                values[question_id].append(options[option])
        row = [] if anonymous else [name or "", email or "", submitted_on or ""]
        yield row + ["; ".join(values.get(question_id, [])) for question_id, _t, _o in questions]
