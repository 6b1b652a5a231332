import pytest
from werkzeug.security import check_password_hash

from app.models import Sector, User
from tests.conftest import PASSWORD


class TestCSRF:
    @pytest.mark.parametrize(
        ("path", "data"),
        [
            ("/me", {"name": "Зломщик", "sector_id": "0"}),
            ("/me/delete", {"password": PASSWORD, "understood": "y"}),
            ("/auth/logout", {}),
            ("/lang", {"lang": "en"}),
        ],
    )
    def test_a_post_without_a_token_is_refused_and_changes_nothing(
        self, client, auth, make_user, database, path, data
    ):
        user = make_user("Справжнє Ім'я")
        auth.login(user)
        response = client.post(path, data=data, csrf=False)
        assert response.status_code == 400
        assert "Форма застаріла або надійшла не із цього сайту" in response.get_data(as_text=True)
        saved = database.get(User, user.id)
        assert (saved.name, saved.deleted_at, saved.locale) == ("Справжнє Ім'я", None, "uk")
        assert client.get("/me").status_code == 200  # still logged in

    def test_a_forged_token_is_refused(self, client, auth, make_user, database):
        admin = make_user(role="admin")
        auth.login(admin)
        response = client.post(
            "/admin/sectors",
            data={"name_uk": "Х", "name_en": "X", "colour": "#000000", "csrf_token": "forged"},
        )
        assert response.status_code == 400 and database.count(Sector) == 0

    def test_signup_and_password_forms_need_the_token_too(self, client, make_user, database):
        user = make_user()
        client.post(
            "/auth/signup",
            data={"name": "Бот", "email": "bot@example.org", "password": "12345678"},
            csrf=False,
        )
        assert database.count(User) == 1
        assert (
            client.post(
                "/auth/login", data={"email": user.email, "password": PASSWORD}, csrf=False
            ).status_code
            == 400
        )
        assert check_password_hash(database.get(User, user.id).password_hash, PASSWORD)


def test_every_page_carries_the_security_headers(client):
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src-attr")[0]
    )
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "<script>" not in response.get_data(as_text=True)  # no inline script anywhere


def test_the_session_cookie_is_http_only_and_same_site(client, make_user):
    user = make_user()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


class TestErrorPages:
    def test_not_found_in_ukrainian_and_english(self, client):
        response = client.get("/no-such-page")
        assert response.status_code == 404
        assert "Сторінку не знайдено" in response.get_data(as_text=True)
        client.post("/lang", data={"lang": "en"})
        assert "Page not found" in client.get("/no-such-page").get_data(as_text=True)

    def test_forbidden(self, client, auth, make_user):
        auth.login(make_user())
        response = client.get("/admin/")
        assert response.status_code == 403
        assert "Ця сторінка не для вас" in response.get_data(as_text=True)

    def test_a_crash_shows_a_calm_page(self, own_app):
        app = own_app(PROPAGATE_EXCEPTIONS=False)  # its own: it gains a route

        @app.route("/boom")
        def boom():
            raise RuntimeError("boom")

        response = app.test_client().get("/boom")
        assert response.status_code == 500
        assert "У нас щось зламалося" in response.get_data(as_text=True)


def test_healthz_says_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.get_data(as_text=True) == "ok" and response.mimetype == "text/plain"


def test_healthz_says_so_when_the_database_does_not(client, monkeypatch):
    import sqlalchemy as sa

    from app.extensions import db

    def unreachable(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, ConnectionRefusedError("down"))

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.get_data(as_text=True) != "ok"
