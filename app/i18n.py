"""Which language and time zone a page speaks."""

from flask import Flask, request, session
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LANGUAGE_NAMES = {"uk": "Українська", "en": "English"}
LOGIN_REQUIRED_MESSAGE = _l("Please log in to see this page.")

# Names of the languages a member can say they speak, in the interface's language.
SPOKEN_LANGUAGE_LABELS = {
    "uk": _l("Ukrainian"),
    "en": _l("English"),
    "pl": _l("Polish"),
    "de": _l("German"),
    "fr": _l("French"),
    "es": _l("Spanish"),
    "it": _l("Italian"),
    "crh": _l("Crimean Tatar"),
    "ru": _l("Russian"),
}


def select_locale() -> str:
    """A member's saved choice, else the guest's choice this session, else Ukrainian."""
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang") if request else None
    return chosen if chosen in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    return "Europe/Kyiv"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt)
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": format_datetime(value, fmt)
    app.jinja_env.filters["number"] = format_decimal

    @app.context_processor
    def language_context():
        return {
            "current_language": str(get_locale() or "uk"),
            "language_names": LANGUAGE_NAMES,
            "spoken_language_labels": SPOKEN_LANGUAGE_LABELS,
        }
