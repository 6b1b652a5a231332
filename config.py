"""Configuration read from the environment.

`SPILNO_ENV` picks the class: development (default), test or production.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEFAULT_SECRET_KEY = "dev-only-not-secret"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver spelled out.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'spilno.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL", "")
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL") or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # Off only for load tests on one machine, where every request comes from 127.0.0.1.
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    # Keeps Spilno's counters apart when several apps share one Redis.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "spilno")

    # How many reverse proxies stand in front of the app and set X-Forwarded-For / -Proto.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000").rstrip("/")
    VIDEO_ROOM_URL = os.environ.get("VIDEO_ROOM_URL", "https://meet.jit.si/spilno-{room}")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", True)
    MAIL_FROM = os.environ.get("MAIL_FROM", "Спільно <noreply@spilno.local>")
    # The most messages a worker hands the mail server each second (0: no limit), to stay
    # within what the provider allows.
    MAIL_PER_SECOND = float(os.environ.get("MAIL_PER_SECOND", "0"))
    # The ORGANIZER of calendar invitations: clients send replies there, so it should read mail.
    CALENDAR_ORGANIZER = os.environ.get("CALENDAR_ORGANIZER") or MAIL_FROM
    # Without an SMTP server, mail is written as .eml files a developer can open.
    MAIL_BACKEND = os.environ.get("MAIL_BACKEND", "smtp" if MAIL_SERVER else "file")
    MAIL_FILE_DIR = os.environ.get("MAIL_FILE_DIR", str(INSTANCE_DIR / "mail"))
    CARDS_DIR = os.environ.get("CARDS_DIR", str(INSTANCE_DIR / "cards"))
    # Event covers and the community's logo, re-encoded (app/services/pictures.py).
    UPLOADS_DIR = os.environ.get("UPLOADS_DIR", str(INSTANCE_DIR / "uploads"))
    # A picture may weigh 10 MB; the rest of the form is small. Beyond this, a clear 413 page.
    MAX_CONTENT_LENGTH = 11 * 1024 * 1024
    # The most rows one member list may have; a bigger one is refused with a clear message.
    IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "20000"))
    # Processes a set of cards of several pages is printed with; 0 means one per core.
    CARD_PRINTERS = int(os.environ.get("CARD_PRINTERS", "0"))
    # How often an attendee's phone asks whether the room's round changed (a tiny request
    # shared by everyone), and how often it redraws its own panel anyway, for what changes
    # for one person only: a check-in at the door, a partner's "stay in touch" (mostly a 304).
    LIVE_POLL_SECONDS = int(os.environ.get("LIVE_POLL_SECONDS", "3"))
    LIVE_PANEL_SECONDS = int(os.environ.get("LIVE_PANEL_SECONDS", "30"))
    # Flask-Compress leaves streamed responses alone: static files are read whole first
    # (app/assets.py), so their file is closed and they are compressed like a page.
    COMPRESS_STREAMS = False

    # Telegram, the second channel (app/services/telegram/). Without a token it is hidden and
    # email works alone. The webhook secret is both the URL's last part and the header
    # Telegram sends back (X-Telegram-Bot-Api-Secret-Token).
    TELEGRAM_BOT_TOKEN = os.environ.get("TELEGRAM_BOT_TOKEN", "")
    TELEGRAM_BOT_USERNAME = os.environ.get("TELEGRAM_BOT_USERNAME", "").lstrip("@")
    TELEGRAM_API_URL = os.environ.get("TELEGRAM_API_URL", "https://api.telegram.org").rstrip("/")
    TELEGRAM_WEBHOOK_SECRET = os.environ.get("TELEGRAM_WEBHOOK_SECRET", "")
    TELEGRAM_CHANNEL_ID = os.environ.get("TELEGRAM_CHANNEL_ID", "")

    BABEL_DEFAULT_LOCALE = "uk"
    LANGUAGES = ("uk", "en")

    BOOTSTRAP_SERVE_LOCAL = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    PASSWORD_RESET_MAX_AGE = 3600
    PASSWORD_HASH_METHOD = "scrypt"  # Werkzeug's default cost
    # Failed logins only: per account from one address, per address, per account anywhere.
    LOGIN_RATE_LIMIT = "10 per minute"
    LOGIN_ADDRESS_LIMIT = "60 per minute"
    LOGIN_ACCOUNT_LIMIT = "50 per hour"
    MEMBERS_PER_PAGE = 24

    @classmethod
    def check_workers(cls, workers: int) -> None:
        """Development and tests may run any number of workers."""


class DevelopmentConfig(Config):
    DEBUG = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    MAIL_BACKEND = "memory"
    PUBLIC_URL = "http://spilno.test"
    # The tests check who may log in, not how hard a hash is to crack.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
    LIVE_POLL_SECONDS = 1  # the browser tests wait for the next round by polling


class ProductionConfig(Config):
    # HTTPS only; switched off solely for load tests over plain HTTP on one machine.
    SESSION_COOKIE_SECURE = REMEMBER_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    PREFERRED_URL_SCHEME = "https"

    @staticmethod
    def check(config) -> None:
        """Refuse to serve real people with development defaults."""
        secret = config.get("SECRET_KEY") or ""
        if secret == DEFAULT_SECRET_KEY or len(secret) < 16:
            raise RuntimeError(
                "SECRET_KEY must be set to a long random value in production "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        if config.get("MAIL_BACKEND") != "smtp":
            raise RuntimeError("MAIL_SERVER must be set in production.")

    @classmethod
    def check_workers(cls, workers: int) -> None:
        # Each process would count logins on its own: the limits would multiply by `workers`.
        limited = cls.RATELIMIT_ENABLED
        if limited and workers > 1 and cls.RATELIMIT_STORAGE_URI.startswith("memory://"):
            raise RuntimeError(
                f"{workers} workers need a shared store for the login limits: set REDIS_URL."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("SPILNO_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(
            f"Unknown SPILNO_ENV {name!r}; use one of {', '.join(CONFIGS)}"
        ) from None
