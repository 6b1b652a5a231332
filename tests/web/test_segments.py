"""Segments: a saved filter over members, counted by the database and checked by hand."""

import csv
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import CoffeeSubscription, Registration, Segment, User
from app.models.types import utcnow
from app.services import segments
from app.services.profiles import tags_named
from app.services.segments import Criteria


@pytest.fixture
def community(app, make_user, make_sector, make_event):
    """Twelve members of known sectors, cities, languages, tags and history."""
    education, it = make_sector("Освіта", "Education"), make_sector("IT", "IT", "#2f6fde")
    past = make_event(
        starts_at=utcnow() - timedelta(days=40), ends_at=utcnow() - timedelta(days=40, hours=-2)
    )
    recent = make_event(
        starts_at=utcnow() - timedelta(days=5), ends_at=utcnow() - timedelta(days=5, hours=-2)
    )
    people = []
    for n in range(12):
        people.append(
            make_user(
                f"Учасник {n:02d}",
                sector_id=(education if n % 2 else it).id,
                city="Київ" if n % 3 else "Львів",
                languages=["uk", "en"] if n % 4 == 0 else ["uk"],
                created_at=utcnow() - timedelta(days=10 if n < 3 else 400),
            )
        )
    with app.app_context():
        for n, person in enumerate(people):
            user = db.session.get(User, person.id)
            user.interests = tags_named(["кіно"] if n % 2 else ["освіта"])
            if n < 6:  # came to the past event; the first three to the recent one too
                db.session.add(
                    Registration(
                        event_id=past.id,
                        user_id=person.id,
                        status="confirmed",
                        checked_in_at=past.starts_at,
                    )
                )
            elif n < 9:  # confirmed for the past event and did not come
                db.session.add(
                    Registration(event_id=past.id, user_id=person.id, status="confirmed")
                )
            if n < 3:
                db.session.add(
                    Registration(
                        event_id=recent.id,
                        user_id=person.id,
                        status="confirmed",
                        checked_in_at=recent.starts_at,
                    )
                )
            if n in (0, 5, 10):
                db.session.add(CoffeeSubscription(user_id=person.id))
        db.session.commit()
    return {"people": people, "education": education, "it": it, "past": past, "recent": recent}


def ids(app, criteria, among):
    """Who the segment holds among the twelve (the events' hosts are members too)."""
    with app.app_context():
        return set(db.session.scalars(segments.members(criteria))) & set(among)


def test_each_criterion_against_a_hand_count(app, community):
    p = [person.id for person in community["people"]]
    assert ids(app, Criteria(), p) == set(p)
    assert ids(app, Criteria(sector_ids=[community["education"].id]), p) == {
        p[n] for n in range(12) if n % 2
    }
    assert ids(app, Criteria(cities=["Львів"]), p) == {p[0], p[3], p[6], p[9]}
    assert ids(app, Criteria(languages=["en"]), p) == {p[0], p[4], p[8]}
    assert ids(app, Criteria(interests=["освіта"]), p) == {p[n] for n in range(12) if not n % 2}
    assert ids(app, Criteria(attended_at_least=2), p) == {p[0], p[1], p[2]}
    since = (utcnow() - timedelta(days=10)).date().isoformat()
    assert ids(app, Criteria(attended_at_least=1, attended_since=since), p) == {p[0], p[1], p[2]}
    assert ids(app, Criteria(no_shows_at_least=1), p) == {p[6], p[7], p[8]}
    assert ids(app, Criteria(checked_in_event_id=community["past"].id), p) == set(p[:6])
    assert ids(app, Criteria(in_coffee=True), p) == {p[0], p[5], p[10]}
    assert ids(app, Criteria(not_seen_days=30), p) == set(p[3:])
    assert ids(app, Criteria(newcomers=True), p) == {p[0], p[1], p[2]}
    # Together: every condition holds.
    both = Criteria(cities=["Київ"], sector_ids=[community["education"].id], attended_at_least=1)
    assert ids(app, both, p) == {p[1], p[5]}
    with app.app_context():
        assert segments.count(both) == 2


def test_a_host_builds_saves_counts_and_exports_a_segment(app, client, auth, make_user, community):
    auth.login(make_user("Тарас Мельник", role="host"))
    education = community["education"].id
    query = f"/community/segments?cities=Київ&sector_ids={education}&attended_at_least=1"
    page = client.get(query).get_data(as_text=True)
    assert re.search(r'id="segment-count">2<', page)
    made = client.post(query, data={"name": "Київські освітяни, що приходять"})
    [segment] = db_all(app)
    assert made.location == f"/community/segments/{segment.id}"
    saved = client.get(made.location).get_data(as_text=True)
    assert re.search(r'id="segment-count">2<', saved) and 'value="Київ"' in saved
    text = client.get(f"/community/segments/{segment.id}.csv").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["Ім'я"] for r in rows) == ["Учасник 01", "Учасник 05"]
    nameless = client.post(query, data={"name": ""}).get_data(as_text=True)
    assert "Це поле є обов" in nameless and len(db_all(app)) == 1


def db_all(app):
    with app.app_context():
        return db.session.scalars(sa.select(Segment)).all()


def test_a_segment_of_the_invited_holds_invitations_and_takes_no_message(
    app, client, auth, make_user
):
    from app.models import Invitation

    with app.app_context():
        db.session.add_all(
            [
                Invitation(email="waiting@example.org", name="Чекає"),
                Invitation(email="joined@example.org", name="Прийшла", accepted_at=utcnow()),
            ]
        )
        db.session.commit()
        assert segments.count(Criteria(invited=True)) == 1
        assert [i.email for i in segments.sample(Criteria(invited=True))] == ["waiting@example.org"]
    admin = make_user("Олена Адмін", role="admin")
    auth.login(admin)
    client.post("/community/segments?invited=y", data={"name": "Запрошені"})
    [segment] = db_all(app)
    page = client.get(f"/community/segments/{segment.id}").get_data(as_text=True)
    assert re.search(r'id="segment-count">1<', page) and "waiting@example.org" in page
    refused = client.post(
        "/community/messages/new",
        data={"subject": "Привіт", "body_md": "Текст", "audience": "segment",
              "segment_id": str(segment.id), "event_id": "0", "event_group": "confirmed",
              "action": "send"},
    ).get_data(as_text=True)  # fmt: skip
    assert "не є учасниками, доки не приєднаються" in refused
