"""Mail preferences, and the one-click unsubscribe that bulk mail carries (RFC 8058)."""

import re

import sqlalchemy as sa

from app.extensions import db
from app.models import CoffeeSubscription, OutboxMessage, Preference
from app.services import coffee
from app.services.mail import build_email
from tests.conftest import PASSWORD


def join_coffee(app, person):
    client = app.test_client()
    client.post("/auth/login", data={"email": person.email, "password": PASSWORD})
    client.post("/coffee", data={"frequency": "weekly", "format": "online"})
    return client


def coffee_intros(app):
    with app.app_context():
        coffee.run_coffee_round()
        db.session.commit()
        return db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like("coffee-intro%"))
        ).all()


def test_bulk_mail_carries_a_one_click_unsubscribe_and_a_visible_link(app, make_user):
    people = [make_user() for _ in range(2)]
    for person in people:
        join_coffee(app, person)
    intro = coffee_intros(app)[0]
    with app.app_context():
        mail = build_email(intro, "Спільно <noreply@spilno.test>")
    link = mail["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://spilno.test/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in mail.get_body(("plain",)).get_content()
    assert link in mail.get_body(("html",)).get_content()


def test_a_confirmation_is_not_bulk_and_carries_no_unsubscribe(
    app, client, auth, make_user, make_event
):
    event = make_event()
    auth.login(make_user())
    client.post(f"/events/{event.id}/register")
    with app.app_context():
        [message] = db.session.scalars(sa.select(OutboxMessage)).all()
        assert build_email(message, "x@y.z")["List-Unsubscribe"] is None


def test_the_mail_providers_one_click_post_unsubscribes_without_a_form_token(app, make_user):
    people = [make_user() for _ in range(2)]
    for person in people:
        join_coffee(app, person)
    intro = next(m for m in coffee_intros(app) if m.to == people[0].email)
    path = intro.unsubscribe_url.removeprefix("http://spilno.test")
    provider = app.test_client()  # no cookies, no session, no CSRF token
    asked = provider.get(path)
    assert "Відписатися?" in asked.text
    with app.app_context():
        assert db.session.get(CoffeeSubscription, people[0].id).active  # a GET only asks
    done = provider.post(path, data={"List-Unsubscribe": "One-Click"}, csrf=False)
    assert done.status_code == 200 and "Ви відписалися" in done.text
    with app.app_context():
        choice = db.session.get(Preference, (people[0].id, "coffee", "email"))
        assert choice.enabled is False
        assert db.session.get(CoffeeSubscription, people[0].id).active is False


def test_a_forged_unsubscribe_link_is_not_found(client):
    assert client.post("/unsubscribe/forged", csrf=False).status_code == 404
    assert client.get("/unsubscribe/%00").status_code == 400  # NUL: refused


def test_survey_mail_turned_off_on_the_preferences_page_is_not_queued(app, client, auth, make_user):
    member = make_user()
    auth.login(member)
    page = client.get("/me/preferences").text
    assert "Нагадування про події" in page and "Опитування" in page
    client.post("/me/preferences", data={"category": ["reminders", "coffee"]})
    with app.app_context():
        from app.services.mail import queue_email

        skipped = queue_email(
            member.email,
            "survey_invitation",
            locale="uk",
            category="surveys",
            recipient_id=member.id,
        )
        assert skipped is None  # turned off: nothing is even rendered
    page = client.get("/me/preferences").text
    assert re.search(r'value="surveys"[^>]*>', page).group(0).count("checked") == 0
    assert 'value="reminders" id="category-reminders" aria-describedby' in page
