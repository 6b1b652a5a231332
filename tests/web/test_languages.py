from datetime import UTC, datetime

from app.models import User


def test_ukrainian_is_the_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="uk">' in page and "Приєднатися до спільноти" in page


def test_a_guest_switches_to_english_for_the_session(client):
    response = client.post("/lang", data={"lang": "en", "next": "/auth/login"})
    assert response.location == "/auth/login"
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Welcome back" in page
    assert "Приєднатися" not in page


def test_an_unknown_language_or_an_off_site_next_changes_nothing(client):
    response = client.post("/lang", data={"lang": "de", "next": "https://evil.example/"})
    assert response.location == "/"
    assert '<html lang="uk">' in client.get("/").get_data(as_text=True)


def test_a_members_choice_is_saved_and_follows_them(app, client, auth, make_user, database):
    user = make_user("Ірина Коваль")
    auth.login(user)
    client.post("/lang", data={"lang": "en"})
    assert database.get(User, user.id).locale == "en"

    other_device = app.test_client()
    other_device.post(
        "/auth/login", data={"email": user.email, "password": "correct horse battery"}
    )
    assert "Who will you meet this week?" in other_device.get("/").get_data(as_text=True)

    auth.logout()
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)  # still English


def test_dates_numbers_and_plurals_follow_the_language(
    app, client, auth, make_user, make_sector, database
):
    sector = make_sector()
    joined = datetime(2025, 3, 5, 10, 0, tzinfo=UTC)
    user = make_user("Олена Коваль", created_at=joined, sector_id=sector.id)
    for n in range(20):
        make_user(f"Учасник {n}")
    auth.login(user)

    uk_profile = client.get(f"/members/{user.id}").get_data(as_text=True)
    assert "5 березня 2025" in uk_profile
    assert "Освіта" in uk_profile
    uk_home = client.get("/").get_data(as_text=True)
    assert '<p class="stat-label">учасник</p>' in uk_home  # 21 → the "one" form in Ukrainian
    assert "Знайдено 21 людину" in client.get("/members/").get_data(as_text=True)

    client.post("/lang", data={"lang": "en"})
    en_profile = client.get(f"/members/{user.id}").get_data(as_text=True)
    assert "March 5, 2025" in en_profile and "Education" in en_profile
    assert "21 people found" in client.get("/members/").get_data(as_text=True)
    assert '<p class="stat-label">members</p>' in client.get("/").get_data(as_text=True)


def test_large_numbers_are_grouped_the_local_way(app):
    from flask_babel import force_locale

    from app.i18n import format_decimal

    with app.test_request_context(), force_locale("uk"):
        assert format_decimal(5000) == "5\xa0000"
    with app.test_request_context(), force_locale("en"):
        assert format_decimal(5000) == "5,000"


def test_templates_translate_escape_and_format_as_jinja_does(app):
    """The page's own `_` and `ngettext`: translated, escaped only in HTML, `%%` always a `%`."""
    from flask import render_template_string
    from flask_babel import force_locale

    page = (
        '{{ _("Log out") }}|{{ _("of %(capacity)s", capacity="<b>") }}|{{ _("100%%") }}|'
        '{{ ngettext("%(num)s seat left", "%(num)s seats left", 3) }}|'
        '{{ ngettext("%(num)s person found", "%(num)s people found", 2, num="2,0") }}|'
        '{% autoescape false %}{{ _("of %(capacity)s", capacity="<b>") }}{% endautoescape %}'
    )
    with app.test_request_context(), force_locale("uk"):
        html = render_template_string(page)
    assert html == "Вийти|із &lt;b&gt;|100%|Залишилося 3 місця|Знайдено 2,0 людини|із <b>"


def test_what_people_typed_in_ukrainian_is_marked_so_on_english_pages(client, make_user, auth):
    member = make_user("Ірина Коваль", organisation="Kyiv Hub")
    auth.login(make_user("Taras"))
    client.post("/lang", data={"lang": "en"})
    english = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert '<h1 class="h3 mb-1"><span lang="uk">Ірина Коваль</span></h1>' in english
    assert '<span lang="uk">Kyiv Hub' not in english  # Latin text is left as it is
    client.post("/lang", data={"lang": "uk"})
    ukrainian = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert '<h1 class="h3 mb-1">Ірина Коваль</h1>' in ukrainian


def test_a_moment_is_shown_in_kyiv_to_the_minute(app):
    from app.i18n import date_and_time

    with app.test_request_context():
        shown = date_and_time(datetime(2026, 12, 2, 16, 5, 59, tzinfo=UTC))
    assert shown == "2 груд. 2026\u202fр., 18:05"  # CLDR keeps "р." with its number
