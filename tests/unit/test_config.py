import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from config import DEFAULT_SECRET_KEY, ProductionConfig, _database_url

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


def test_production_gunicorn_refuses_several_workers_without_shared_limit_storage():
    """Each worker would keep its own login counters; gunicorn's start hook says why."""
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "SPILNO_ENV": "production",
        "SECRET_KEY": GOOD_PRODUCTION["SECRET_KEY"],
        "MAIL_SERVER": "smtp.example.org",
    }
    env.pop("REDIS_URL", None)
    started = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", "127.0.0.1:0", "app:create_app()"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "2 workers need a shared store for the login limits: set REDIS_URL" in started.stderr


def test_one_production_worker_or_redis_is_accepted():
    ProductionConfig.check_workers(1)
    with pytest.raises(RuntimeError, match="REDIS_URL"):
        ProductionConfig.check_workers(4)
