"""Newcomers: a sign-up confirms its email; a welcome sequence over the first two weeks."""

import re
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import CoffeeSubscription, OutboxMessage, Registration, User
from app.models.types import utcnow
from app.services import coffee, welcome


def test_a_sign_up_confirms_its_email_before_registering(client, make_event, database, deliver):
    event = make_event(title="Вечір знайомств")
    client.post(
        "/auth/signup",
        data={
            "name": "Нова Людина",
            "email": "new@example.org",
            "password": "довгий-пароль-1",
            "locale": "uk",
        },
    )
    [user] = database.all(User, User.email == "new@example.org")
    assert user.email_confirmed_at is None
    page = client.get("/").get_data(as_text=True)
    assert "Підтвердьте пошту, щоб реєструватися" in page
    refused = client.post(f"/events/{event.id}/register", follow_redirects=True)
    assert "Спершу підтвердьте пошту" in refused.get_data(as_text=True)
    assert database.count(Registration) == 0

    [mail] = [m for m in deliver() if m["To"] == "new@example.org"]
    assert mail["Subject"] == "Спільно: підтвердьте пошту"
    link = re.search(
        r"http://spilno.test(/auth/confirm/\S+)", mail.get_body(("plain",)).get_content()
    ).group(1)
    # Opening the link changes nothing (mail scanners open links); its button confirms.
    assert "Підтвердити пошту" in client.get(link).get_data(as_text=True)
    assert database.get(User, user.id).email_confirmed_at is None
    assert client.post(link).location == "/"
    assert database.get(User, user.id).email_confirmed_at is not None
    client.post(f"/events/{event.id}/register")
    assert database.count(Registration) == 1
    assert client.post("/auth/confirm/not-a-token", follow_redirects=True).status_code == 200


def test_an_unconfirmed_address_is_matched_with_nobody(app, make_user):
    confirmed = [make_user(f"Учасник {n}") for n in range(2)]
    unconfirmed = make_user("Непідтверджена")
    with app.app_context():
        db.session.execute(
            sa.update(User).where(User.id == unconfirmed.id).values(email_confirmed_at=None)
        )
        for person in [*confirmed, unconfirmed]:
            db.session.add(CoffeeSubscription(user_id=person.id))
        db.session.commit()
        due = {s.user_id for s in coffee.due_subscribers(utcnow())}
    assert due == {person.id for person in confirmed}


def mails_of(app, user_id):
    with app.app_context():
        email = db.session.get(User, user_id).email
        return [
            m.subject
            for m in db.session.scalars(
                sa.select(OutboxMessage).where(OutboxMessage.to == email).order_by(OutboxMessage.id)
            )
        ]


def test_the_welcome_sequence_over_two_weeks_skips_what_no_longer_applies(
    app, make_user, make_event, client, auth
):
    start = utcnow()
    fresh = make_user("Нова Людина", welcome_step=0, created_at=start, city="Київ")
    busy = make_user("Активна Людина", welcome_step=0, created_at=start)
    event = make_event(
        title="Вечір знайомств",
        city="Київ",
        starts_at=start + timedelta(days=10),
        ends_at=start + timedelta(days=10, hours=2),
    )
    with app.app_context():
        db.session.execute(sa.update(User).where(User.id == busy.id).values(welcome_step=0))
        db.session.add(CoffeeSubscription(user_id=busy.id))
        db.session.add(Registration(event_id=event.id, user_id=busy.id, status="confirmed"))
        busy_user = db.session.get(User, busy.id)
        from app.services.profiles import tags_named

        busy_user.interests = tags_named(["кіно"])
        busy_user.offers = tags_named(["менторство"])
        db.session.commit()

    def day(n):
        with app.app_context():
            sent = welcome.send_due(start + timedelta(days=n, minutes=1))
            db.session.commit()
            return sent

    assert day(0) == 2
    assert day(1) == 0
    assert day(3) == 1  # the profile nudge: only the one whose profile is empty
    assert day(7) == 1  # the next event: only the one registered for none
    assert day(14) == 1  # coffee: only the one not in it
    assert day(20) == 0 and day(40) == 0
    assert mails_of(app, fresh.id) == [
        "Спільно: вітаємо!",
        "З ким ви хотіли б познайомитися?",
        "Приходьте познайомитися: Вечір знайомств",
        "Випадкова кава з кимось новим?",
    ]
    assert mails_of(app, busy.id)[-1:] == ["Спільно: вітаємо!"]
    with app.app_context():
        assert {u.welcome_step for u in db.session.scalars(sa.select(User))} == {4}


def test_the_community_managers_own_welcome_text_and_name(app, make_user, client, auth):
    admin = make_user("Олена Адмін", role="admin")
    auth.login(admin)
    from tests.web.test_community_face import SETTINGS

    client.post(
        "/admin/settings",
        data={
            **SETTINGS,
            "welcome_md": "Раді вам! **Приходьте** на каву.",
            "welcome_signature": "Олена, комʼюніті-менеджерка",
        },
    )
    newcomer = make_user("Нова Людина", welcome_step=0)
    with app.app_context():
        welcome.send_due(utcnow())
        db.session.commit()
        [mail] = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.to == newcomer.email)
        ).all()
        assert "<strong>Приходьте</strong>" in mail.html_body
        assert "Олена, комʼюніті-менеджерка" in mail.text_body and "Раді вам!" in mail.text_body
