"""Fixtures shared by the web tests."""

import pytest

from tests.pictures import sample_picture
from tests.web.hand_made import community  # noqa: F401  (a fixture; some modules have their own)

ROLES = ("anonymous", "member", "host", "admin")


@pytest.fixture
def world(app, make_user, make_sector, make_event):
    return build_world(app, make_user, make_sector, make_event)


def build_world(app, make_user, make_sector, make_event):
    """Someone of each role, and one of everything a route can name. The host role's user
    hosts both events; the others only see them."""
    from app.extensions import db
    from app.models import (
        CardJob,
        EventQuestion,
        Import,
        Introduction,
        Invitation,
        Meeting,
        MeetingMember,
        Message,
        Note,
        Question,
        Registration,
        Round,
        Segment,
        Survey,
    )
    from app.models.types import utcnow
    from app.services import community as settings
    from app.services import pictures
    from app.services.accounts import CONFIRM_PURPOSE, password_reset_token
    from app.services.links import signed
    from app.services.preferences import unsubscribe_url

    sector = make_sector()
    other = make_user("Інша Людина")
    people = {role: make_user(role=role if role != "anonymous" else "member") for role in ROLES}
    event = make_event(host=people["host"])
    draft = make_event(host=people["host"], status="draft")
    proposal = make_event(status="proposed", proposed_by_id=people["member"].id)
    with app.app_context():
        token = password_reset_token(other)
        confirm_token = signed(CONFIRM_PURPOSE, user=other.id, email=other.email)
        unsubscribe = unsubscribe_url(other.id, "surveys").rsplit("/", 1)[1]
        seat = Registration(event_id=event.id, user_id=other.id, status="pending")
        member_id = people["member"].id
        db.session.add(seat)
        db.session.add(
            Registration(
                event_id=event.id, user_id=member_id, status="confirmed", checked_in_at=utcnow()
            )
        )
        # Round 1 (published): the member met `other`. Round 2: a draft.
        published = Round(kind="live", event_id=event.id, number=1, status="published")
        published.starts_at = utcnow()
        meeting = Meeting(round=published)
        meeting.members = [
            MeetingMember(user_id=member_id, round=published),
            MeetingMember(user_id=other.id, round=published),
        ]
        survey = Survey(event_id=event.id, title="Відгук", scheduled=True, opens_at=utcnow())
        survey.questions = [Question(kind="text", text="Як вам?")]
        pulse = Survey(title="Пульс", audience="members", scheduled=True, opens_at=utcnow())
        job = CardJob(event_id=event.id, layout="a4-8", who="confirmed")
        event_question = EventQuestion(event_id=event.id, kind="text", text="Ваша роль?")
        member_import = Import(filename="members.csv", header=["Email"], rows=[["a@b.org"]])
        invitation = Invitation(email="invited@example.org", name="Запрошена", sent_at=utcnow())
        segment = Segment(name="Освітяни", criteria={"cities": ["Київ"]})
        message = Message(subject="Новини", body_html="<p>Привіт</p>", status="sent")
        note = Note(about_id=other.id, author_id=people["admin"].id, text="Цікавиться освітою.")
        # Sent to the member and `other`; nobody has answered yet.
        introduction = Introduction(
            first_id=member_id,
            second_id=other.id,
            introduced_by_id=people["admin"].id,
            reason="Обоє працюють з освітою.",
            status="proposed",
            sent_at=utcnow(),
        )
        db.session.add_all([event_question, member_import, invitation, segment, message, note])
        db.session.add(introduction)
        db.session.add_all([survey, pulse, job])
        draft_round = Round(kind="live", event_id=event.id, number=2, status="draft")
        draft_meeting = Meeting(round=draft_round)
        draft_meeting.members = [MeetingMember(user_id=other.id, round=draft_round)]
        db.session.add_all([published, meeting, draft_round, draft_meeting])
        # The community's policies are published, and everyone has agreed to them.
        version = settings.publish_policies("Ми бережемо ваші дані.", "Будьмо чемні.")
        for person in [other, *people.values()]:
            settings.record_consent(person.id, version)
        cover = pictures.save_picture(
            sample_picture(), "cover.png", "cover", app.config["UPLOADS_DIR"]
        )
        db.session.commit()
        seat_id, ticket = seat.id, seat.ticket_token
        ids = {
            "meeting": meeting.id,
            "draft_round": draft_round.id,
            "draft_meeting": draft_meeting.id,
            "round_number": 1,
            "survey": survey.id,
            "question": survey.questions[0].id,
            "pulse": pulse.id,
            "job": job.id,
            "event_question": event_question.id,
            "member_import": member_import.id,
            "invitation": invitation.token,
            "segment": segment.id,
            "message": message.id,
            "note": note.id,
            "introduction": introduction.id,
            "telegram_secret": "not-configured",
            "block": "members",
            "cover": cover,
            "size": "wide",
            "policy": "privacy",
        }
    return {
        "people": people,
        "values": {
            "other": other.id,
            "sector": sector.id,
            "token": token,
            "confirm_token": confirm_token,
            "unsubscribe": unsubscribe,
            "event": event.id,
            "draft": draft.id,
            "proposal": proposal.id,
            "seat": seat_id,
            "ticket": ticket,
            "calendar": other.calendar_token,
            **ids,
        },
    }
