"""A small hand-made community for the dashboard and the impact report: every figure of it is
worked out by hand in tests/web/test_dashboard.py."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import (
    Answer,
    Event,
    Meeting,
    MeetingMember,
    Question,
    Registration,
    Respondent,
    Response,
    Round,
    Sector,
    Survey,
    User,
)
from app.models.types import utcnow
from app.services.accounts import set_name

DAY = timedelta(days=1)


@pytest.fixture
def community(app, password_hash):
    """Thirteen members (and one deleted), two sectors, six events, four rounds, two surveys.

    In the last 90 days: E1 (30 days ago, 4 seats), E2 (10 days ago, no limit), E3 (online,
    5 days ago, nobody checked in), E4 (in a week, 2 seats); a draft and a cancelled event.
    Before that: E0, 150 days ago. The comments give what each row adds to the figures.
    """
    now = utcnow()
    with app.app_context():
        it = Sector(name_uk="ІТ", name_en="IT", colour="#2f6fde")
        culture = Sector(name_uk="Культура", name_en="Culture", colour="#c2185b")
        db.session.add_all([it, culture])
        people = {}
        for name, sector, joined_days_ago, role in [
            ("A", it, 200, "member"), ("B", culture, 200, "member"), ("C", it, 200, "member"),
            ("D", culture, 200, "member"), ("E", None, 200, "member"), ("F", it, 200, "member"),
            ("H", it, 200, "member"), ("I", culture, 200, "member"), ("G", it, 120, "member"),
            ("N1", it, 40, "member"), ("N2", culture, 40, "member"), ("N3", it, 10, "member"),
            ("Host", it, 200, "host"), ("X", it, 200, "member"),
        ]:  # fmt: skip
            user = User(
                email=f"{name.lower()}@example.org", password_hash=password_hash, role=role,
                locale="en", sector=sector, created_at=now - joined_days_ago * DAY,
            )  # fmt: skip
            set_name(user, f"Person {name}")
            people[name] = user
            db.session.add(user)
        people["X"].deleted_at = now - DAY  # gone: counted nowhere
        db.session.flush()
        p = {name: user.id for name, user in people.items()}

        def event(days, **fields):
            start = now + days * DAY
            values = {"title": f"Event {days}", "format": "offline", "starts_at": start,
                      "ends_at": start + timedelta(hours=2), "venue": "Хаб", "city": "Київ",
                      "status": "published", "capacity": None}  # fmt: skip
            created = Event(**{**values, **fields})
            db.session.add(created)
            db.session.flush()
            return created

        def seat(ev, who, status, *, came=False, registered=None):
            db.session.add(
                Registration(
                    event_id=ev.id, user_id=p[who], status=status,
                    created_at=registered or ev.starts_at - 5 * DAY,
                    checked_in_at=ev.starts_at + timedelta(minutes=5) if came else None,
                )
            )  # fmt: skip

        e0 = event(-150, title="E0")
        seat(e0, "A", "confirmed", came=True)
        e1 = event(-30, title="E1", capacity=4)
        seat(e1, "A", "confirmed", came=True)
        seat(e1, "B", "confirmed", came=True)
        seat(e1, "C", "confirmed")  # a no-show
        seat(e1, "N1", "confirmed", came=True)  # a newcomer who came within 30 days
        seat(e1, "D", "waitlisted")
        seat(e1, "F", "cancelled")
        e2 = event(-10, title="E2")
        seat(e2, "A", "confirmed", came=True)  # A came twice: a repeat attendee
        seat(e2, "B", "confirmed")  # a no-show
        e3 = event(-5, title="E3", format="online", online_url="https://meet.example/x")
        seat(e3, "A", "confirmed")  # nobody checked in online: not in attendance
        seat(e3, "C", "confirmed")
        e4 = event(7, title="E4", capacity=2)
        for who, status in [("D", "confirmed"), ("E", "confirmed"), ("N2", "waitlisted"),
                            ("G", "waitlisted")]:  # fmt: skip
            seat(e4, who, status, registered=now - 2 * DAY)
        event(-20, title="Draft", status="draft")
        event(-15, title="Cancelled", status="cancelled")

        def meeting(round_, *members):
            made = Meeting(round=round_)
            made.members = [
                MeetingMember(user_id=p[who], round=round_, **answers) for who, answers in members
            ]
            db.session.add(made)

        old = Round(kind="live", event_id=e0.id, number=1, status="closed",
                    starts_at=e0.starts_at + timedelta(minutes=30))  # fmt: skip
        meeting(old, ("A", {}), ("B", {}))  # the period before
        live = Round(kind="live", event_id=e1.id, number=1, status="closed",
                     starts_at=e1.starts_at + timedelta(minutes=30))  # fmt: skip
        yes = {"met": "yes", "wants_contact": True}
        meeting(live, ("A", {**yes, "rating": 5}), ("B", {**yes, "rating": 4}))  # IT × Culture
        meeting(live, ("N1", {"met": "no"}), ("F", {}))  # IT × IT, did not meet
        coffee = Round(kind="coffee", number=1, status="closed", starts_at=now - 20 * DAY)
        meeting(
            coffee,
            ("C", {**yes, "rating": 3}),  # C and E both want contact: one exchange
            ("D", {"met": "not_yet"}),
            ("E", {"wants_contact": True}),
        )
        draft = Round(kind="live", event_id=e2.id, number=1, status="draft", starts_at=now)
        meeting(draft, ("A", {}), ("D", {}))  # never held

        def survey(ev, answers):
            made = Survey(event_id=ev.id, title=f"About {ev.title}", scheduled=True,
                          opens_at=ev.ends_at)  # fmt: skip
            made.questions = [
                Question(kind="rating", text="Rate"),
                Question(kind="nps", text="NPS"),
            ]
            db.session.add(made)
            db.session.flush()
            rating, nps = made.questions
            for values in answers:
                response = Response(survey_id=made.id)
                db.session.add(response)
                db.session.flush()
                for question, number in zip((rating, nps), values, strict=True):
                    if number is not None:
                        db.session.add(
                            Answer(response_id=response.id, question_id=question.id, number=number)
                        )
            return made

        about_e1 = survey(e1, [(5, 10), (4, 9), (None, 3)])  # NPS (2 − 1) / 3 = 33, rating 4.5
        survey(e2, [(2, 6)])  # NPS −100, rating 2
        pulse = Survey(title="Pulse", audience="members", scheduled=True, opens_at=now - 5 * DAY)
        db.session.add(pulse)
        db.session.flush()
        db.session.add_all(
            [
                Respondent(survey_id=about_e1.id, user_id=p["B"], answered=True,
                           answered_at=e1.ends_at + DAY),
                Respondent(survey_id=pulse.id, user_id=p["H"], answered=True,
                           answered_at=now - 3 * DAY),  # H's only activity
                Respondent(survey_id=pulse.id, user_id=p["X"], answered=True,
                           answered_at=now - 3 * DAY),  # deleted since: not counted
            ]
        )  # fmt: skip
        db.session.commit()
        activity = [  # (who, when) of everything that makes someone active, for the buckets
            (r.user_id, moment)
            for r in db.session.query(Registration)
            for moment in (r.created_at, r.checked_in_at)
            if moment
        ] + [(p["B"], e1.ends_at + DAY), (p["H"], now - 3 * DAY)]
        activity += [(p[who], live.starts_at) for who in ("A", "B", "F")]  # N1 declined
        activity += [(p[who], coffee.starts_at) for who in ("C", "D", "E")]
        activity += [(p["A"], old.starts_at), (p["B"], old.starts_at)]
        return {"now": now, "people": p, "sectors": (it.id, culture.id), "activity": activity}
