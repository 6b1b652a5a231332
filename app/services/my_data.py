"""Everything Spilno keeps about one person, as plain JSON-ready data (`/me/export`)."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Answer,
    Block,
    CoffeeSubscription,
    Event,
    MeetingMember,
    Question,
    Registration,
    Respondent,
    Response,
    Round,
    Survey,
    User,
)
from app.services import introductions
from app.services.notes import notes_about
from app.services.registration_questions import readable


def _when(moment) -> str | None:
    return moment.isoformat() if moment else None


def export_person(user: User) -> dict:
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "name": user.name,
            "role": user.role,
            "language": user.locale,
            "created_at": _when(user.created_at),
        },
        "profile": {
            "sector": user.sector.name_en if user.sector else None,
            "organisation": user.organisation,
            "city": user.city,
            "languages": list(user.languages or []),
            "bio": user.bio,
            "contact": user.contact,
            "interests": [tag.name for tag in user.interests],
            "offers": [tag.name for tag in user.offers],
            "asks": [tag.name for tag in user.asks],
        },
        "registrations": _registrations(user.id),
        "meetings": _meetings(user.id),
        "survey_answers": _named_answers(user.id),
        "surveys_answered_anonymously": _anonymous_surveys(user.id),
        "coffee": _coffee(user.id),
        "blocked_members": _blocks(user.id),
        "introductions": _introductions(user.id),
        # What the community's team noted about them: theirs to read.
        "notes_about_me": [
            {
                "text": note.text,
                "by": note.author.name if note.author else None,
                "written_at": _when(note.created_at),
                "edited_at": _when(note.edited_at),
            }
            for note in notes_about(user.id)
        ],
        "consents": {
            "coffee_partners_see_my_email_and_contact": bool(
                db.session.scalar(
                    sa.select(CoffeeSubscription.share_contact).where(
                        CoffeeSubscription.user_id == user.id
                    )
                )
            ),
        },
    }


def _introductions(user_id: int) -> list[dict]:
    """Their introductions as they see them: their own answer, never the other person's."""
    views = [introductions.view_for(i, user_id) for i in introductions.of_member(user_id)]
    return [
        {
            "with": view.other.name,
            "reason": view.introduction.reason,
            "asked_by_me": view.introduction.requested and view.introduction.first_id == user_id,
            "my_answer": view.mine,
            "both_agreed": view.agreed,
            "created_at": _when(view.introduction.created_at),
        }
        for view in views
    ]


def _registrations(user_id: int) -> list[dict]:
    rows = db.session.execute(
        sa.select(Registration, Event.title, Event.starts_at)
        .join(Event, Event.id == Registration.event_id)
        .options(selectinload(Registration.event).selectinload(Event.questions))
        .where(Registration.user_id == user_id)
        .order_by(Event.starts_at)
    )
    return [
        {
            "event": title,
            "event_starts_at": _when(starts_at),
            "status": registration.status,
            "registered_at": _when(registration.created_at),
            "checked_in_at": _when(registration.checked_in_at),
            "rejection_reason": registration.rejection_reason or None,
            "answers": dict(_answers(registration)),
        }
        for registration, title, starts_at in rows
    ]


def _answers(registration: Registration):
    """The registration questions they answered, by the question's words; a question the
    hosts removed since is still theirs to see, by its number."""
    questions = {str(q.id): q for q in registration.event.questions}
    for key, value in (registration.answers or {}).items():
        question = questions.get(key)
        text = question.text if question else f"#{key}"
        yield text, (readable(question, value) if question else value)


def _meetings(user_id: int) -> list[dict]:
    """The meetings they were in and the feedback they gave (not what partners said)."""
    rows = db.session.execute(
        sa.select(MeetingMember, Round, Event.title)
        .join(Round, Round.id == MeetingMember.round_id)
        .outerjoin(Event, Event.id == Round.event_id)
        .where(MeetingMember.user_id == user_id)
        .order_by(Round.starts_at, Round.id)
    )
    return [
        {
            "kind": round_.kind,
            "event": title,
            "round": round_.number,
            "starts_at": _when(round_.starts_at),
            "met": member.met,
            "rating": member.rating,
            "comment": member.comment or None,
            "wants_to_stay_in_touch": member.wants_contact,
            "answered_at": _when(member.responded_at),
        }
        for member, round_, title in rows
    ]


def _named_answers(user_id: int) -> list[dict]:
    responses = db.session.scalars(
        sa.select(Response).where(Response.user_id == user_id).order_by(Response.submitted_on)
    ).all()
    surveys = {
        survey.id: survey
        for survey in db.session.scalars(
            sa.select(Survey)
            .where(Survey.id.in_({r.survey_id for r in responses}))
            .options(selectinload(Survey.questions))
        )
    }
    survey_of = {response.id: surveys[response.survey_id] for response in responses}
    given: dict[str, dict[int, list]] = {}  # response → question → values
    for answer in db.session.scalars(
        sa.select(Answer).where(Answer.response_id.in_(list(survey_of)))
    ):
        value = _answer_value(answer, survey_of[answer.response_id])
        given.setdefault(answer.response_id, {}).setdefault(answer.question_id, []).append(value)
    return [
        {
            "survey": survey_of[response.id].title,
            "submitted_on": _when(response.submitted_on),
            "answers": [
                {"question": q.text, "answer": given[response.id][q.id]}
                for q in survey_of[response.id].questions
                if q.id in given.get(response.id, {})
            ],
        }
        for response in responses
    ]


def _answer_value(answer: Answer, survey: Survey):
    if answer.text is not None:
        return answer.text
    if answer.number is not None:
        return answer.number
    question: Question = next(q for q in survey.questions if q.id == answer.question_id)
    return question.options[answer.option] if 0 <= answer.option < len(question.options) else None


def _anonymous_surveys(user_id: int) -> list[str]:
    """That they answered is kept apart from the answers, which cannot be traced back."""
    return list(
        db.session.scalars(
            sa.select(Survey.title)
            .join(Respondent, Respondent.survey_id == Survey.id)
            .where(
                Respondent.user_id == user_id,
                Respondent.answered.is_(True),
                Survey.anonymous.is_(True),
            )
            .order_by(Survey.id)
        )
    )


def _coffee(user_id: int) -> dict | None:
    subscription = db.session.get(CoffeeSubscription, user_id)
    if subscription is None:
        return None
    return {
        "taking_part": subscription.active,
        "frequency": subscription.frequency,
        "format": subscription.format,
        "paused_until": _when(subscription.paused_until),
        "share_contact_with_partners": subscription.share_contact,
        "joined_at": _when(subscription.created_at),
    }


def _blocks(user_id: int) -> list[dict]:
    rows = db.session.execute(
        sa.select(User.id, User.name, Block.created_at)
        .join(Block, Block.blocked_id == User.id)
        .where(Block.blocker_id == user_id)
        .order_by(Block.created_at)
    )
    return [{"member_id": i, "name": name, "since": _when(since)} for i, name, since in rows]
