"""Real threads against PostgreSQL: the event lock keeps every seat count honest."""

import threading

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import OutboxMessage, Registration, Round, User
from app.models.types import utcnow
from app.services import errors, registration, rounds

pytestmark = pytest.mark.usefixtures("postgresql_only")


@pytest.fixture
def postgresql_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks under real concurrency are tested on PostgreSQL")


@pytest.fixture
def crowd(app, password_hash):
    """Bulk-inserted members: their ids, in order."""

    def make(count, prefix="crowd"):
        with app.app_context():
            rows = [
                {
                    "email": f"{prefix}{n}@example.org",
                    "password_hash": password_hash,
                    "name": f"Учасник {n}",
                    "name_key": f"учасник {n}",
                    "role": "member",
                    "locale": "uk",
                    "organisation": "",
                    "city": "",
                    "languages": [],
                    "bio": "",
                    "contact": "",
                    "calendar_token": f"{prefix}-token-{n}",
                }
                for n in range(count)
            ]
            db.session.execute(sa.insert(User), rows)
            db.session.commit()
            return list(
                db.session.scalars(
                    sa.select(User.id).where(User.email.like(f"{prefix}%")).order_by(User.id)
                )
            )

    return make


def all_at_once(app, jobs):
    """Run every job in its own thread, released together; re-raise the first failure."""
    barrier = threading.Barrier(len(jobs))
    failures = []

    def run(job):
        with app.app_context():
            barrier.wait()
            try:
                job()
            except Exception as error:  # surfaced below, in the test's thread
                failures.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if failures:
        raise failures[0]


def register_job(event_id, user_id):
    def job():
        registration.register(event_id, db.session.get(User, user_id))
        db.session.commit()

    return job


def cancel_job(event_id, user_id):
    def job():
        registration.cancel(event_id, db.session.get(User, user_id))
        db.session.commit()

    return job


def rows(app, event_id):
    with app.app_context():
        query = sa.select(Registration).where(Registration.event_id == event_id)
        found = db.session.scalars(query.order_by(Registration.created_at, Registration.id)).all()
        db.session.expunge_all()
        return found


def test_200_members_at_once_for_50_seats(app, make_event, crowd):
    event = make_event(capacity=50)
    members = crowd(200)
    all_at_once(app, [register_job(event.id, user_id) for user_id in members])

    found = rows(app, event.id)
    confirmed = [r for r in found if r.status == "confirmed"]
    waitlisted = [r for r in found if r.status == "waitlisted"]
    assert (len(found), len(confirmed), len(waitlisted)) == (200, 50, 150)
    # Arrival order: every confirmed member got in before every waitlisted one.
    assert max(r.created_at for r in confirmed) < min(r.created_at for r in waitlisted)

    # Seats freed later go to the earliest in the queue.
    first_ten_waiting = [r.user_id for r in waitlisted[:10]]
    all_at_once(app, [cancel_job(event.id, r.user_id) for r in confirmed[:10]])
    now_confirmed = {r.user_id for r in rows(app, event.id) if r.status == "confirmed"}
    assert len(now_confirmed) == 50 and set(first_ten_waiting) <= now_confirmed


def test_cancellations_racing_registrations_never_exceed_capacity(app, make_event, crowd):
    event = make_event(capacity=20)
    holders, newcomers = crowd(20, "holder"), crowd(40, "newcomer")
    all_at_once(app, [register_job(event.id, user_id) for user_id in holders])

    peak = []
    stop = threading.Event()

    def watch():
        with app.app_context():
            while not stop.is_set():
                peak.append(registration.confirmed_count(event.id))
                db.session.rollback()

    watcher = threading.Thread(target=watch)
    watcher.start()
    jobs = [cancel_job(event.id, u) for u in holders] + [
        register_job(event.id, u) for u in newcomers
    ]
    try:
        all_at_once(app, jobs)
    finally:
        stop.set()
        watcher.join()

    found = rows(app, event.id)
    assert max(peak) <= 20
    assert sum(r.status == "confirmed" for r in found) == 20
    assert sum(r.status == "waitlisted" for r in found) == 20
    assert sum(r.status == "cancelled" for r in found) == 20


def test_a_double_click_makes_one_registration_and_one_email(app, make_event, crowd):
    event = make_event(capacity=5)
    [member] = crowd(1)
    all_at_once(app, [register_job(event.id, member) for _ in range(8)])
    assert len(rows(app, event.id)) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 1


def test_a_seat_change_waiting_for_the_lock_gives_up_with_a_clear_message(
    app, client, auth, make_event, make_user, monkeypatch
):
    monkeypatch.setattr(registration, "LOCK_WAIT_SECONDS", 1)
    event = make_event(capacity=5)
    auth.login(make_user())
    with app.app_context():
        holder = db.engine.connect()  # a long transaction holding the event's row
        holder.execute(sa.text("SELECT id FROM events WHERE id = :id FOR UPDATE"), {"id": event.id})
        try:
            page = client.post(f"/events/{event.id}/register", follow_redirects=True).text
        finally:
            holder.rollback()
            holder.close()
    assert "Спробуйте ще раз" in page
    assert rows(app, event.id) == []  # nothing half-saved


def test_two_hosts_publishing_at_once_leave_one_round_published(app, make_event, crowd):
    event = make_event(capacity=None)
    people = crowd(6)
    with app.app_context():
        for user_id in people:
            db.session.add(
                Registration(
                    event_id=event.id, user_id=user_id, status="confirmed", checked_in_at=utcnow()
                )
            )
        db.session.commit()
        first = rounds.draft_round(event.id, minutes=5)
        db.session.commit()
        rounds.publish(event.id, first.id)
        db.session.commit()
        draft_id = rounds.draft_round(event.id, minutes=5).id
        db.session.commit()

    outcomes = []

    def publish():
        try:
            rounds.publish(event.id, draft_id)
            db.session.commit()
            outcomes.append("published")
        except errors.RoundNotDraft:
            db.session.rollback()
            outcomes.append("already")

    all_at_once(app, [publish, publish])
    assert sorted(outcomes) == ["already", "published"]
    with app.app_context():
        statuses = db.session.scalars(
            sa.select(Round.status).where(Round.event_id == event.id).order_by(Round.number)
        ).all()
    assert statuses == ["closed", "published"]
