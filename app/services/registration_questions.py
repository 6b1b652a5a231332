"""Questions a host adds to an event's registration form, and the answers kept with each seat.

An answer is kept as the member read it (the option's text, "yes" or "no"), so a host who
later rewords or removes a question does not change what someone already answered.
"""

from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from app.models import Event, EventQuestion, Registration, RegistrationQuestionKind
from app.services import errors

TEXT_LIMIT = 1000
CHOICES = (RegistrationQuestionKind.SINGLE, RegistrationQuestionKind.MULTIPLE)
YES, NO = "yes", "no"


def add_question(
    event: Event, *, kind: str, text: str, options: list[str], required: bool
) -> EventQuestion:
    options = (
        [option.strip() for option in options if option.strip()][:20] if kind in CHOICES else []
    )
    if kind in CHOICES and len(options) < 2:
        raise errors.QuestionNeedsOptions()
    position = max((q.position for q in event.questions), default=-1) + 1
    question = EventQuestion(
        kind=kind, text=text.strip(), options=options, required=required, position=position
    )
    event.questions.append(question)
    return question


def remove_question(event: Event, question_id: int) -> None:
    """The question goes; answers already given stay with their registrations."""
    event.questions = [q for q in event.questions if q.id != question_id]


def move_question(event: Event, question_id: int, step: int) -> None:
    ordered = list(event.questions)
    index = next((i for i, q in enumerate(ordered) if q.id == question_id), None)
    if index is None:
        return
    target = min(max(index + step, 0), len(ordered) - 1)
    ordered.insert(target, ordered.pop(index))
    for position, question in enumerate(ordered):
        question.position = position


def read_answers(questions: list[EventQuestion], form: MultiDict) -> tuple[dict, dict]:
    """The form read against the event's own questions: (answers by question id as text,
    a message by question id for each that needs one). A choice not offered is no answer."""
    answers, problems = {}, {}
    for question in questions:
        name = f"q{question.id}"
        if question.kind == RegistrationQuestionKind.MULTIPLE:
            chosen = set(form.getlist(name))
            value = [option for option in question.options if option in chosen]
        elif question.kind == RegistrationQuestionKind.TEXT:
            value = form.get(name, "").strip()[:TEXT_LIMIT]
        else:
            value = form.get(name, "").strip()
            offered = (
                question.options
                if question.kind == RegistrationQuestionKind.SINGLE
                else (
                    YES,
                    NO,
                )
            )
            if value and value not in offered:
                problems[question.id] = _("Choose one of the options.")
                continue
        if value in ("", []):
            if question.required:
                problems[question.id] = _("Please answer this question.")
            continue
        answers[str(question.id)] = value
    return answers, problems


def readable(question: EventQuestion, value) -> str:
    """An answer as a person reads it, in the page's language."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    if question.kind == RegistrationQuestionKind.YES_NO:
        return _("Yes") if value == YES else _("No")
    return str(value)


def answers_of(registration: Registration, questions: list[EventQuestion]) -> list[tuple]:
    """(question, readable answer) for each of the event's questions this seat answered."""
    stored = registration.answers or {}
    return [
        (question, readable(question, stored.get(str(question.id))))
        for question in questions
        if str(question.id) in stored
    ]
