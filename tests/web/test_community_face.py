"""The community's own face: settings an admin sets, seen in pages, emails and calendars;
its policies, and members' consent to each version of them."""

import io
import re

import icalendar
import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Consent, OutboxMessage, User
from app.services import community
from app.services.mail import build_email, sender_address
from tests.pictures import sample_picture

SETTINGS = {
    "name_uk": "Мости",
    "name_en": "Bridges",
    "description_uk": "Спільнота, де зустрічаються сектори.",
    "description_en": "A community where sectors meet.",
    "accent": "#7a1f5c",
    "contact_email": "hello@mosty.example",
    "website_url": "https://mosty.example",
    "telegram_url": "https://t.me/mosty",
    "facebook_url": "",
    "instagram_url": "",
    "timezone": "Europe/Kyiv",
    "offer_english": "y",
}


@pytest.fixture
def admin(make_user, auth):
    person = make_user("Олена Адмін", role="admin")
    auth.login(person)
    return person


def test_an_admin_names_the_community_and_every_page_and_email_shows_it(
    app, client, admin, make_event, make_user, auth
):
    logo = (io.BytesIO(sample_picture((600, 200))), "logo.png")
    response = client.post("/admin/settings", data={**SETTINGS, "logo": logo})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "<title>Мости · Мости</title>" in page or " · Мости</title>" in page
    assert "--accent: #7a1f5c" in page
    assert "Спільнота, де зустрічаються сектори." in page
    assert 'href="https://t.me/mosty"' in page and "hello@mosty.example" in page
    logo_src = re.search(r'<img class="brand-logo" src="([^"]+)"', page).group(1)
    assert client.get(logo_src).mimetype == "image/png"

    event = make_event(title="Вечір знайомств")
    member = make_user("Ірина Коваль", email="iryna@example.org")
    auth.login(member)
    client.post(f"/events/{event.id}/register")
    with app.app_context():
        [message] = db.session.scalars(sa.select(OutboxMessage)).all()
        email = build_email(message, sender_address(app.config["MAIL_FROM"], "Мости"))
        assert "Мости" in message.html_body and "#7a1f5c" in message.html_body
        assert "hello@mosty.example" in message.html_body
        calendar = icalendar.Calendar.from_ical(message.ics)
        assert str(calendar["X-WR-CALNAME"]) == "Мости"
        assert "Spilno" in str(calendar["PRODID"])
    assert email["From"].addresses[0].display_name == "Мости"
    feed = client.get(f"/calendar/{member.calendar_token}.ics").get_data(as_text=True)
    assert "X-WR-CALNAME:Мости: мої події" in feed


def test_english_readers_see_the_english_name_and_english_can_be_withdrawn(client, admin):
    client.post("/admin/settings", data=SETTINGS)
    client.post("/lang", data={"lang": "en", "next": "/"})
    assert "Bridges" in client.get("/").get_data(as_text=True)
    client.post("/admin/settings", data={**SETTINGS, "offer_english": ""})
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="uk"' in page and 'value="en"' not in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"accent": "#f2b705"}, "Контраст цього кольору"),
        ({"accent": "yellow"}, "Колір у вигляді #1f5fbf."),
        ({"name_uk": ""}, "Це поле є обов"),
        ({"telegram_url": "t.me/mosty"}, "Повне посилання"),
        ({"contact_email": "not-an-email"}, "name@example.org"),
        ({"logo": (io.BytesIO(b"GIF89a not really"), "logo.png")}, "не схожий на картинку"),
    ],
    ids=["too-light", "not-a-colour", "no-name", "bad-link", "bad-email", "not-a-picture"],
)
def test_bad_settings_are_explained_kept_and_nothing_is_saved(app, client, admin, changes, message):
    response = client.post("/admin/settings", data={**SETTINGS, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert 'value="https://t.me/mosty"' in page or "t.me/mosty" in page
    with app.app_context():
        assert community.load() == community.Community()


def test_sign_up_asks_for_consent_once_policies_are_published(app, client, admin, auth):
    assert (
        client.post(
            "/admin/settings/policies",
            data={"privacy_md": "# Дані\n\nМи бережемо ваші дані.", "terms_md": "Будьмо чемні."},
        ).status_code
        == 302
    )
    auth.logout()
    form = {"name": "Нова Людина", "email": "new@example.org", "password": "довгий-пароль-1"}
    refused = client.post("/auth/signup", data={**form, "locale": "uk"})
    assert "Щоб продовжити, погодьтеся" in refused.get_data(as_text=True)
    assert 'value="new@example.org"' in refused.get_data(as_text=True)
    joined = client.post("/auth/signup", data={**form, "locale": "uk", "agree": "y"})
    assert joined.status_code == 302
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "new@example.org"))
        [consent] = db.session.scalars(sa.select(Consent).where(Consent.user_id == user.id))
        assert consent.version == 1 and consent.accepted_at is not None
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "<h1>Дані</h1>" in privacy and "Версія 1" in privacy


def test_a_new_version_asks_every_member_again_at_their_next_visit(
    app, client, auth, make_user, make_event
):
    member = make_user("Ірина Коваль")
    with app.app_context():
        community.publish_policies("Приватність v1", "Умови v1")
        community.record_consent(member.id, 1)
        db.session.commit()
    auth.login(member)
    assert client.get("/coffee").status_code == 200
    with app.app_context():
        community.publish_policies("Приватність v2", "Умови v2")
        db.session.commit()
    asked = client.get("/coffee?x=1")
    assert asked.status_code == 302 and asked.location == "/consent?next=/coffee?x%3D1"
    # The policies themselves and logging out stay open; a refusal is explained.
    assert client.get("/privacy").status_code == 200
    page = client.post("/consent", data={"next": "/coffee"}).get_data(as_text=True)
    assert "Щоб продовжити, погодьтеся" in page
    agreed = client.post("/consent", data={"next": "/coffee", "agree": "y"})
    assert agreed.location == "/coffee"
    assert client.get("/coffee").status_code == 200
    with app.app_context():
        versions = db.session.scalars(
            sa.select(Consent.version).where(Consent.user_id == member.id)
        ).all()
        assert sorted(versions) == [1, 2]


def test_an_empty_policy_is_not_published(app, client, admin):
    page = client.post(
        "/admin/settings/policies", data={"privacy_md": "Ми бережемо дані.", "terms_md": " "}
    ).get_data(as_text=True)
    assert "Ми бережемо дані." in page
    with app.app_context():
        assert community.load().policy_version == 0


def test_mail_written_by_the_worker_carries_the_logo_and_the_sender_name(app, make_user):
    """The worker writes mail with no request about: the logo's address is a full one."""
    from app.services.mail import queue_email

    user = make_user("Ірина Коваль", email="iryna@example.org")
    with app.app_context():
        logo = (sample_picture((600, 200)), "logo.png")
        face = community.save({**SETTINGS, "languages": ("uk", "en")}, logo=logo)
        message = queue_email(
            user.email, "password_reset", locale="uk", user=user, link="http://x/", minutes=60
        )
        assert f"http://spilno.test/pictures/{face.logo}/logo" in message.html_body
        assert message.subject == "Мости: відновлення пароля"


def test_a_new_event_starts_in_the_communitys_time_zone(client, admin):
    client.post("/admin/settings", data={**SETTINGS, "timezone": "Europe/Warsaw"})
    page = client.get("/events/new").get_data(as_text=True)
    [option] = re.findall(r'<option[^>]*value="Europe/Warsaw"[^>]*>', page)
    assert "selected" in option
