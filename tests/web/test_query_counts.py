"""Pages that list things make the same number of queries for 10 rows as for 1,000."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Event, Registration, User
from app.models.types import utcnow
from app.services.collation import name_key


def add_events(app, host_id, count, start_at=0):
    start = utcnow() + timedelta(days=3)
    with app.app_context():
        host = db.session.get(User, host_id)
        for n in range(start_at, start_at + count):
            event = Event(
                title=f"Подія {n}",
                format="offline",
                starts_at=start + timedelta(hours=n),
                ends_at=start + timedelta(hours=n + 1),
                venue="Хаб",
                city=("Київ", "Львів")[n % 2],
                capacity=50,
                status="published",
            )
            event.hosts = [host]
            db.session.add(event)
        db.session.commit()


def add_registrations(app, event_id, password_hash, count, start_at=0):
    with app.app_context():
        users = [
            {
                "email": f"guest{n}@example.org",
                "password_hash": password_hash,
                "name": f"Гість {n}",
                "name_key": name_key(f"Гість {n}"),
                "role": "member",
                "locale": "uk",
                "organisation": "Org",
                "city": "",
                "languages": [],
                "bio": "",
                "contact": "",
                "calendar_token": f"guest-token-{n}",
            }
            for n in range(start_at, start_at + count)
        ]
        db.session.execute(sa.insert(User), users)
        ids = db.session.scalars(
            sa.select(User.id).where(User.email.like("guest%")).order_by(User.id)
        ).all()[start_at:]
        db.session.execute(
            sa.insert(Registration),
            [
                {
                    "event_id": event_id,
                    "user_id": user_id,
                    "status": ("confirmed", "waitlisted")[n % 2],
                    "created_at": utcnow(),
                    "ticket_token": f"t-{user_id}",
                    "rejection_reason": "",
                }
                for n, user_id in enumerate(ids)
            ],
        )
        db.session.commit()


@pytest.fixture
def host(make_user, auth):
    person = make_user(role="host")
    auth.login(person)
    return person


def test_the_events_list(app, client, host, count_queries):
    add_events(app, host.id, 10)
    with_ten = count_queries(client, "/events/")
    add_events(app, host.id, 990, start_at=10)
    assert count_queries(client, "/events/") == with_ten
    assert count_queries(client, "/events/?city=Львів&page=3") == with_ten


def test_the_attendees_page(app, client, host, make_event, password_hash, count_queries):
    event = make_event(host=host, capacity=None)
    add_registrations(app, event.id, password_hash, 10)
    with_ten = count_queries(client, f"/events/{event.id}/attendees")
    add_registrations(app, event.id, password_hash, 990, start_at=10)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 1000
    assert count_queries(client, f"/events/{event.id}/attendees") == with_ten
    assert count_queries(client, f"/events/{event.id}/attendees.csv") <= with_ten


def test_the_home_page(app, client, host, count_queries):
    add_events(app, host.id, 10)
    with_ten = count_queries(client, "/")
    add_events(app, host.id, 200, start_at=10)
    assert count_queries(client, "/") == with_ten


def test_the_event_page_and_the_directory_searched_and_filtered(
    app, client, host, make_event, make_sector, password_hash, count_queries
):
    """The event page (who's going) and the directory with a search or a sector: the same
    statements for 10 people as for 500."""
    sector = make_sector()
    event = make_event(host=host, capacity=None)

    def grow(count, start_at):
        add_registrations(app, event.id, password_hash, count, start_at=start_at)
        with app.app_context():
            db.session.execute(
                sa.update(User).where(User.email.like("guest%")).values(sector_id=sector.id)
            )
            db.session.commit()

    pages = [f"/events/{event.id}", "/members/?q=Гість", f"/members/?sector={sector.id}"]
    grow(10, 0)
    with_ten = {page: count_queries(client, page) for page in pages}
    grow(490, 10)
    assert {page: count_queries(client, page) for page in pages} == with_ten
    assert "Гість 1" in client.get("/members/?q=Гість").text  # the search found them
