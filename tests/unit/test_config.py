import pytest

from app import create_app
from config import DEFAULT_SECRET_KEY, _database_url

GOOD_PRODUCTION = {
    "SECRET_KEY": "a-long-random-production-secret-value",
    "MAIL_BACKEND": "smtp",
    "MAIL_SERVER": "smtp.example.org",
    "SQLALCHEMY_DATABASE_URI": "sqlite://",
}


@pytest.mark.parametrize("secret", ["", DEFAULT_SECRET_KEY, "short"])
def test_production_refuses_a_missing_or_default_secret_key(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {**GOOD_PRODUCTION, "SECRET_KEY": secret})


def test_production_refuses_to_run_without_a_mail_server():
    with pytest.raises(RuntimeError, match="MAIL_SERVER"):
        create_app("production", {**GOOD_PRODUCTION, "MAIL_BACKEND": "file"})


def test_production_sends_cookies_over_https_only():
    app = create_app("production", GOOD_PRODUCTION)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_unknown_environment_name_is_refused():
    with pytest.raises(RuntimeError, match="SPILNO_ENV"):
        create_app("staging")


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@db/spilno", "postgresql+psycopg://u:p@db/spilno"),
        ("postgresql://u@db/spilno", "postgresql+psycopg://u@db/spilno"),
        ("postgresql+psycopg://u@db/spilno", "postgresql+psycopg://u@db/spilno"),
        ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ],
)
def test_database_url_gets_the_psycopg_driver(monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert _database_url("sqlite://") == expected
