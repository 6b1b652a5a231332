"""Seats, waitlist, approval: the rules, through the one service that holds the event lock."""

from datetime import timedelta

import pytest

from app.extensions import db
from app.models import Event, OutboxMessage, Registration, User
from app.models.types import utcnow
from app.services import errors, events, registration
from app.services.notifications import send_due_reminders


@pytest.fixture
def people(make_user):
    return [make_user(f"Учасник {n}", email=f"member{n}@example.org") for n in range(6)]


def user(user_id):
    return db.session.get(User, user_id)


def statuses(event_id):
    rows = db.session.scalars(
        db.select(Registration).where(Registration.event_id == event_id).order_by(Registration.id)
    )
    return [(r.user_id, r.status) for r in rows]


def outbox():
    return db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()


def register(event_id, person):
    result = registration.register(event_id, user(person.id))
    db.session.commit()
    return result.status


def cancel(event_id, person):
    registration.cancel(event_id, user(person.id))
    db.session.commit()


def test_seats_fill_then_the_waitlist(app_ctx, make_event, people):
    event = make_event(capacity=2)
    assert [register(event.id, p) for p in people[:4]] == [
        "confirmed",
        "confirmed",
        "waitlisted",
        "waitlisted",
    ]
    assert registration.confirmed_count(event.id) == 2


def test_a_second_click_makes_no_second_registration(app_ctx, make_event, people):
    event = make_event(capacity=5)
    register(event.id, people[0])
    register(event.id, people[0])
    assert statuses(event.id) == [(people[0].id, "confirmed")]
    assert len(outbox()) == 1


def test_cancelling_promotes_the_earliest_waitlisted_and_emails_them(app_ctx, make_event, people):
    event = make_event(capacity=1)
    for person in people[:3]:
        register(event.id, person)
    cancel(event.id, people[0])
    assert statuses(event.id) == [
        (people[0].id, "cancelled"),
        (people[1].id, "confirmed"),
        (people[2].id, "waitlisted"),
    ]
    last = outbox()[-2:]
    assert {m.to for m in last} == {people[0].email, people[1].email}
    promoted = next(m for m in last if m.to == people[1].email)
    assert "звільнилося місце" in promoted.text_body or "seat freed up" in promoted.text_body
    assert promoted.ics_method == "REQUEST" and "BEGIN:VEVENT" in promoted.ics
    cancelled = next(m for m in last if m.to == people[0].email)
    assert cancelled.ics_method == "CANCEL"


def test_re_registering_after_cancelling_joins_the_back_of_the_queue(app_ctx, make_event, people):
    event = make_event(capacity=1)
    register(event.id, people[0])
    register(event.id, people[1])
    cancel(event.id, people[1])
    register(event.id, people[2])
    register(event.id, people[1])
    cancel(event.id, people[0])
    assert dict(statuses(event.id))[people[2].id] == "confirmed"
    assert dict(statuses(event.id))[people[1].id] == "waitlisted"


def test_unlimited_events_confirm_everyone(app_ctx, make_event, people):
    event = make_event(capacity=None)
    assert {register(event.id, p) for p in people} == {"confirmed"}


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"status": "draft"}, errors.EventNotOpen),
        ({"status": "cancelled"}, errors.EventNotOpen),
        ({"registration_closes_at": utcnow() - timedelta(minutes=1)}, errors.RegistrationClosed),
    ],
)
def test_closed_events_refuse_registration(app_ctx, make_event, people, fields, error):
    event = make_event(**fields)
    with pytest.raises(error):
        registration.register(event.id, user(people[0].id))
    db.session.rollback()
    assert statuses(event.id) == []


def test_an_event_that_started_takes_no_registrations(app_ctx, make_event, people):
    start = utcnow() - timedelta(minutes=5)
    event = make_event(starts_at=start, ends_at=start + timedelta(hours=2))
    with pytest.raises(errors.RegistrationClosed):
        registration.register(event.id, user(people[0].id))


class TestApproval:
    def test_registrations_wait_for_the_hosts(self, app_ctx, make_event, people):
        event = make_event(capacity=1, requires_approval=True)
        assert register(event.id, people[0]) == "pending"
        assert register(event.id, people[1]) == "pending"
        assert registration.confirmed_count(event.id) == 0
        assert outbox()[-1].subject.startswith("Запит отримано")

    def test_approval_takes_a_seat_then_the_waitlist(self, app_ctx, make_event, people):
        event = make_event(capacity=1, requires_approval=True)
        first = registration.register(event.id, user(people[0].id))
        second = registration.register(event.id, user(people[1].id))
        db.session.commit()
        assert registration.approve(event.id, first.id).status == "confirmed"
        assert registration.approve(event.id, second.id).status == "waitlisted"
        db.session.commit()
        mails = {m.to: m for m in outbox()[-2:]}
        assert mails[people[0].email].ics_method == "REQUEST"
        assert "але всі місця зайняті" in mails[people[1].email].text_body

    def test_rejection_carries_the_reason(self, app_ctx, make_event, people):
        event = make_event(requires_approval=True)
        pending = registration.register(event.id, user(people[0].id))
        registration.reject(event.id, pending.id, "Зустріч лише для освітян.")
        db.session.commit()
        assert statuses(event.id) == [(people[0].id, "rejected")]
        assert "Зустріч лише для освітян." in outbox()[-1].text_body
        with pytest.raises(errors.RegistrationDeclined):
            registration.register(event.id, user(people[0].id))


class TestCapacity:
    def test_raising_the_capacity_promotes_at_once(self, app_ctx, make_event, people):
        event = make_event(capacity=1)
        for person in people[:4]:
            register(event.id, person)
        locked = registration.lock_event(event.id)
        registration.change_capacity(locked, 3)
        db.session.commit()
        assert [s for _, s in statuses(event.id)] == [
            "confirmed",
            "confirmed",
            "confirmed",
            "waitlisted",
        ]

    def test_the_capacity_cannot_drop_below_the_seats_taken(self, app_ctx, make_event, people):
        event = make_event(capacity=5)
        for person in people[:3]:
            register(event.id, person)
        locked = registration.lock_event(event.id)
        with pytest.raises(errors.CapacityBelowTaken) as refused:
            registration.change_capacity(locked, 2)
        assert "3" in str(refused.value.message)
        db.session.rollback()
        assert db.session.get(Event, event.id).capacity == 5


class TestEventChanges:
    def details(self, event, **changes):
        values = {
            "title": event.title,
            "description": "",
            "format": event.format,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "timezone": event.timezone,
            "venue": event.venue,
            "address": event.address,
            "city": event.city,
            "online_url": event.online_url,
            "capacity": event.capacity,
            "requires_approval": event.requires_approval,
            "registration_closes_at": None,
            "cohost_ids": [],
            **changes,
        }
        return events.EventDetails(**values)

    def test_a_new_time_raises_the_sequence_and_tells_confirmed_attendees(
        self, app_ctx, make_event, people
    ):
        event = make_event(capacity=1)
        register(event.id, people[0])
        register(event.id, people[1])
        host = user(event.hosts[0].id)
        later = event.starts_at + timedelta(hours=1)
        changes = events.update_event(
            event.id, host, self.details(event, starts_at=later, ends_at=later + timedelta(hours=2))
        )
        db.session.commit()
        assert changes == ["starts_at", "ends_at"]
        assert db.session.get(Event, event.id).sequence == 1
        update = outbox()[-1]
        assert update.to == people[0].email  # the waitlisted member is not sent an invitation
        assert update.ics_method == "REQUEST" and "SEQUENCE:1" in update.ics

    def test_a_title_change_alone_sends_nothing(self, app_ctx, make_event, people):
        event = make_event()
        register(event.id, people[0])
        before = len(outbox())
        events.update_event(event.id, user(event.hosts[0].id), self.details(event, title="Нове"))
        db.session.commit()
        assert len(outbox()) == before and db.session.get(Event, event.id).sequence == 0

    def test_cancelling_tells_everyone_registered(self, app_ctx, make_event, people):
        event = make_event(capacity=1)
        register(event.id, people[0])
        register(event.id, people[1])
        events.cancel_event(event.id)
        db.session.commit()
        last = {m.to: m for m in outbox()[-2:]}
        assert last[people[0].email].ics_method == "CANCEL"
        assert "STATUS:CANCELLED" in last[people[0].email].ics
        assert last[people[1].email].ics is None  # waitlisted: no calendar entry to remove
        assert db.session.get(Event, event.id).sequence == 1


def test_the_reminder_goes_once_a_day_ahead(app_ctx, make_event, people):
    soon = utcnow() + timedelta(hours=20)
    event = make_event(starts_at=soon, ends_at=soon + timedelta(hours=2))
    far = make_event(title="Пізніше")
    register(event.id, people[0])
    register(far.id, people[0])
    assert send_due_reminders(utcnow()) == 1
    db.session.commit()
    assert send_due_reminders(utcnow()) == 0  # the worker ran twice: still one
    db.session.commit()
    reminders = [m for m in outbox() if m.dedupe_key and m.dedupe_key.startswith("reminder:")]
    assert len(reminders) == 1 and reminders[0].subject.startswith("Завтра:")
