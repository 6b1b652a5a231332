"""Engagement levels on a hand-built community: each person's expected level, and the
month's movement."""

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    LevelSnapshot,
    Meeting,
    MeetingMember,
    Registration,
    Respondent,
    Round,
    Survey,
)
from app.models.types import utcnow
from app.services import levels


def test_each_person_has_the_level_their_doings_give(app, make_user, make_event):
    now = utcnow()
    old = now - timedelta(days=400)
    people = {
        name: make_user(name, created_at=old)
        for name in ("core", "active", "occasional", "drifting", "dormant")
    }
    newcomer = make_user("newcomer", created_at=now - timedelta(days=20))
    host = people["core"]
    days = [5, 15, 25, 35, 45, 55]
    events = [
        make_event(
            host=host, starts_at=now - timedelta(days=d), ends_at=now - timedelta(days=d, hours=-2)
        )
        for d in days
    ]
    early = [
        make_event(starts_at=now - timedelta(days=d), ends_at=now - timedelta(days=d, hours=-2))
        for d in (80, 90, 100, 110)
    ]
    with app.app_context():

        def came(person, event):
            db.session.add(Registration(event_id=event.id, user_id=person.id, status="confirmed",
                                        checked_in_at=event.starts_at))  # fmt: skip

        for event in events:  # the core member came to all six and hosted them
            came(people["core"], event)
        for event in events[:3]:  # the active one came to three lately
            came(people["active"], event)
        came(people["occasional"], events[4])  # once, 45 days ago
        for event in early:  # the drifting one came to four, then nothing for 80 days
            came(people["drifting"], event)
        came(newcomer, events[0])
        # A live round at the first event: core and active met.
        round_ = Round(kind="live", event_id=events[0].id, number=1, status="closed",
                       starts_at=events[0].starts_at)  # fmt: skip
        meeting = Meeting(round=round_)
        meeting.members = [MeetingMember(user_id=people["core"].id, round=round_),
                           MeetingMember(user_id=people["active"].id, round=round_)]  # fmt: skip
        survey = Survey(title="Відгук", event_id=events[0].id)
        db.session.add_all([round_, meeting, survey])
        db.session.flush()
        db.session.add(Respondent(survey_id=survey.id, user_id=people["active"].id, answered=True,
                                  answered_at=now - timedelta(days=4)))  # fmt: skip
        db.session.commit()

        computed = levels.compute(now)
    got = {name: computed[person.id][0] for name, person in people.items()}
    got["newcomer"] = computed[newcomer.id][0]
    assert got == {
        "core": "core",
        "active": "active",
        "occasional": "occasional",
        "drifting": "drifting",
        "dormant": "dormant",
        "newcomer": "newcomer",
    }
    assert computed[people["core"].id][1] > computed[people["active"].id][1] > 8


def test_the_worker_keeps_one_snapshot_a_month_and_the_dashboard_shows_movement(
    app, make_user, make_event, client, auth
):
    now = utcnow()
    member = make_user("Марта", created_at=now - timedelta(days=400))
    event = make_event(starts_at=now - timedelta(days=3), ends_at=now - timedelta(days=3, hours=-2))
    with app.app_context():
        last_month = (now.date().replace(day=1) - timedelta(days=1)).replace(day=1)
        db.session.add(
            LevelSnapshot(user_id=member.id, month=last_month, level="dormant", score=0,
                          computed_at=now - timedelta(days=35))
        )  # fmt: skip
        for n in range(3):
            other = make_event(
                starts_at=now - timedelta(days=10 + n),
                ends_at=now - timedelta(days=10 + n, hours=-2),
            )
            db.session.add(Registration(event_id=other.id, user_id=member.id, status="confirmed",
                                        checked_in_at=other.starts_at))  # fmt: skip
        db.session.add(Registration(event_id=event.id, user_id=member.id, status="confirmed",
                                    checked_in_at=event.starts_at))  # fmt: skip
        db.session.commit()
        assert levels.is_due(now)
        levels.snapshot(now)
        db.session.commit()
        assert not levels.is_due(now)
        levels.snapshot(now)  # twice in a day changes nothing
        db.session.commit()
        mine = db.session.scalars(
            sa.select(LevelSnapshot).where(LevelSnapshot.user_id == member.id)
        ).all()
        assert sorted(s.level for s in mine) == ["active", "dormant"]
        moved = levels.movement(now)
        assert moved.moved_up >= 1 and moved.counts.get("active") == 1


def test_a_level_is_shown_to_hosts_and_never_to_members(app, make_user, client, auth):
    member = make_user("Марта Коваль")
    peer = make_user("Богдан Мороз")
    host = make_user("Тарас Мельник", role="host")
    with app.app_context():
        db.session.add(LevelSnapshot(user_id=member.id, month=utcnow().date().replace(day=1),
                                     level="drifting", score=3))  # fmt: skip
        db.session.commit()
    for person, sees in ((host, True), (peer, False), (member, False)):
        auth.logout()
        auth.login(person)
        page = client.get(f"/members/{member.id}").get_data(as_text=True)
        assert ("віддаляються" in page) is sees


def test_a_member_sees_their_own_activity_not_a_label(app, make_user, make_event, client, auth):
    now = utcnow()
    member = make_user("Марта Коваль", created_at=now - timedelta(days=400))
    with app.app_context():
        for days in (10, 20):
            event = make_event(
                starts_at=now - timedelta(days=days), ends_at=now - timedelta(days=days, hours=-2)
            )
            db.session.add(Registration(event_id=event.id, user_id=member.id, status="confirmed",
                                        checked_in_at=event.starts_at))  # fmt: skip
        db.session.add(LevelSnapshot(user_id=member.id, month=now.date().replace(day=1),
                                     level="active", score=9))  # fmt: skip
        db.session.commit()
        assert levels.activity_of(member.id, now) == {
            "attended": 2,
            "met": 0,
            "hosted": 0,
            "answered": 0,
            "helped": 0,
        }
    auth.login(member)
    page = client.get("/me/events").get_data(as_text=True)
    assert "Ваші останні пів року:" in page and "2 події" in page
    assert "Рівень" not in page


def test_help_given_counts_when_an_offer_met_an_ask_in_a_meeting_that_happened(
    app, make_user, make_event
):
    from app.models import Tag, User

    now = utcnow()
    mentor = make_user("Ментор", created_at=now - timedelta(days=400))
    seeker = make_user("Шукає", created_at=now - timedelta(days=400))
    bystander = make_user("Поруч", created_at=now - timedelta(days=400))
    with app.app_context():
        grants = Tag(name="гранти")
        giver, asker, other = (db.session.get(User, p.id) for p in (mentor, seeker, bystander))
        giver.offers.append(grants)
        asker.asks.append(grants)
        other.offers.append(grants)

        def coffee(number, pair, met):
            round_ = Round(kind="coffee", number=number, status="closed",
                           starts_at=now - timedelta(days=number))  # fmt: skip
            meeting = Meeting(round=round_)
            meeting.members = [MeetingMember(user_id=uid, round=round_, met=met) for uid in pair]
            db.session.add_all([round_, meeting])

        coffee(3, (mentor.id, seeker.id), "yes")  # met: the mentor helped
        coffee(4, (bystander.id, seeker.id), "no")  # did not happen: no help given
        db.session.commit()
        assert levels.activity_of(mentor.id)["helped"] == 1
        assert levels.activity_of(seeker.id)["helped"] == 0  # asked, did not give
        assert levels.activity_of(bystander.id)["helped"] == 0


def test_the_admin_sets_the_weights_and_thresholds(app, make_user, client, auth, database):
    from app.models import Setting

    auth.login(make_user("Адмінка", role="admin", locale="en"))
    page = client.get("/admin/levels").text
    assert 'name="attended"' in page and 'value="3.0"' in page  # the defaults, shown
    rules = {"attended": "5", "met": "2", "hosted": "4", "answered": "1", "helped": "6",
             "core": "30", "active": "10", "quiet_days": "45"}  # fmt: skip
    wrong = client.post("/admin/levels", data={**rules, "active": "40"}).text
    assert "must be above 0 and below the score for" in wrong
    assert database.count(Setting, Setting.key.startswith("levels.")) == 0  # nothing half-saved
    assert 'value="40"' in wrong  # what was typed stays
    client.post("/admin/levels", data=rules)
    with app.app_context():
        saved = levels.current_rules()
    assert saved.weights["attended"] == 5 and saved.weights["helped"] == 6
    assert (saved.core, saved.active, saved.quiet_days) == (30, 10, 45)
