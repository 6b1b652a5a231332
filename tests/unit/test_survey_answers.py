"""A submitted survey form read against the survey's own questions."""

import pytest
from werkzeug.datastructures import MultiDict

from app.models import Question, QuestionKind, Survey
from app.services.surveys.answering import read_answers


@pytest.fixture
def survey():
    survey = Survey(title="Відгук")
    kinds = [
        (QuestionKind.RATING, [], True),
        (QuestionKind.NPS, [], True),
        (QuestionKind.SINGLE, ["Так", "Ні"], False),
        (QuestionKind.MULTIPLE, ["Люди", "Місце", "Їжа"], False),
        (QuestionKind.TEXT, [], False),
    ]
    for n, (kind, options, required) in enumerate(kinds, start=1):
        survey.questions.append(
            Question(id=n, kind=kind, text=f"Питання {n}", options=options, required=required)
        )
    return survey


def form(**values):
    return MultiDict([(key, value) for key, many in values.items() for value in many])


def test_answers_within_their_ranges_are_kept(survey):
    answers, problems = read_answers(
        survey, form(q1=["5"], q2=["0"], q3=["1"], q4=["2", "0", "0"], q5=["  Люди!  "])
    )
    assert problems == {}
    assert answers == {1: 5, 2: 0, 3: 1, 4: [0, 2], 5: "Люди!"}


@pytest.mark.parametrize(
    "rating, nps, choice",
    [("0", "11", "2"), ("6", "-1", "-1"), ("²", "٣", "1.0"), ("99999999999999999999", "x", "")],
)
def test_out_of_range_or_not_a_number_asks_again(survey, rating, nps, choice):
    answers, problems = read_answers(survey, form(q1=[rating], q2=[nps], q3=[choice]))
    assert set(problems) == {1, 2} | ({3} if choice else set())
    assert 1 not in answers and 2 not in answers and 3 not in answers


def test_required_questions_left_blank_are_asked_for_and_the_rest_may_be(survey):
    answers, problems = read_answers(survey, form(q4=["7", "x"], q5=["   "]))
    assert set(problems) == {1, 2}
    assert answers == {}  # choices outside the options are dropped, a blank text is no answer


def test_fields_no_question_asks_for_are_ignored_and_text_is_cut(survey):
    answers, _ = read_answers(
        survey, form(q1=["4"], q2=["9"], q99=["5"], q5=["я" * 6000], extra=["x"])
    )
    assert set(answers) == {1, 2, 5} and len(answers[5]) == 5000
