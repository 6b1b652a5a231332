"""Which language and time zone a page speaks."""

import re
from datetime import date

from babel import dates
from flask import Flask, request, session
from flask_babel import (
    format_date,
    format_decimal,
    format_percent,
    format_time,
    get_locale,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from app import labels
from app.branding import current_community, offered_languages
from app.models.types import KYIV, utcnow
from app.services import registration_questions
from app.services.links import external_url
from app.services.text import plain_text

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


# Why two people were matched (ids from app.pairing.explain, plus the host's own choice).
MATCH_REASONS = {
    "different_sectors": _l("you work in different sectors"),
    "shared_interests": _l("you share interests"),
    "b_can_help_a": _l("one of you can help with what the other is looking for"),
    "a_can_help_b": _l("one of you can help with what the other is looking for"),
    "newcomer": _l("one of you is new to the community"),
    "shared_language": _l("you speak a common language"),
    "fresh_pair": _l("you have not met yet"),
    "chosen_by_host": _l("the hosts put you together"),
}
FIRST_QUESTIONS = {
    "first_question_project": _l("What are you working on that excites you most right now?"),
    "first_question_help": _l("What could someone from another sector help you with this month?"),
    "first_question_surprise": _l("What surprised you most in your work this year?"),
    "first_question_learning": _l("What would you like to learn from someone outside your field?"),
}


def match_reasons(reasons) -> list[str]:
    """The reasons as one readable list, without saying the same thing twice."""
    seen, readable = set(), []
    for reason in reasons or []:
        text = str(MATCH_REASONS.get(reason, ""))
        if text and text not in seen:
            seen.add(text)
            readable.append(text)
    return readable


def select_locale() -> str:
    """A member's saved choice, else the guest's choice this session, else Ukrainian; a
    language the community no longer offers falls back to Ukrainian, which it always does."""
    from flask import current_app

    default = current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated:
        wanted = current_user.locale
    else:
        wanted = session.get("lang") if request else None
    if not wanted or wanted == default:
        return default  # the common case reads no settings: a live phone's poll stays small
    return wanted if wanted in offered_languages() else default


def event_when(event) -> str:
    """'субота, 5 грудня 2026 р., 18:30–20:30' in the event's own time zone."""
    locale = get_locale() or "uk"
    start, end = event.local_starts_at, event.local_ends_at
    day = dates.format_date(start, "full", locale=locale)
    if start.date() == end.date():
        text = f"{day}, {dates.format_time(start, 'short', locale=locale)}–" + dates.format_time(
            end, "short", locale=locale
        )
    else:
        text = (
            f"{day}, {dates.format_time(start, 'short', locale=locale)} – "
            f"{dates.format_date(end, 'medium', locale=locale)}, "
            f"{dates.format_time(end, 'short', locale=locale)}"
        )
    if event.timezone != KYIV:
        text += f" ({event.timezone.replace('_', ' ')})"
    return text


def event_day(event) -> tuple[str, str]:
    """('5', 'груд.'): the day and short month for a date badge."""
    locale = get_locale() or "uk"
    start = event.local_starts_at
    return str(start.day), dates.format_date(start, "MMM", locale=locale)


def date_and_time(moment) -> str:
    """'2 груд. 2026 р., 18:00' in Kyiv: to the minute, as people say a time."""
    return f"{format_date(moment, 'medium')}, {format_time(moment, 'short')}"


def local_time(moment, event) -> str:
    return dates.format_time(moment.astimezone(event.zone), "short", locale=get_locale() or "uk")


def percent(share: float | None, digits: int = 0) -> str:
    """A share from 0 to 1 as the language writes percentages; a dash when there is none."""
    if share is None:
        return "—"
    return format_percent(share, "#,##0%" if digits == 0 else "#,##0." + "0" * digits + "%")


def bucket_label(start: str, weekly: bool) -> str:
    """A week by its Monday ("19 Oct"), a month by its name and year ("Oct 25")."""
    return format_date(date.fromisoformat(start), "d MMM" if weekly else "LLL yy")


def select_timezone() -> str:
    return current_community().timezone


CYRILLIC = re.compile("[\u0400-\u04ff]")


def typed(text):
    """What people typed (a name, a title, a place), marked as Ukrainian when it is in
    Cyrillic on a page in another language, so a screen reader says it in Ukrainian."""
    if text and CYRILLIC.search(str(text)) and str(get_locale() or "uk") != "uk":
        return Markup('<span lang="uk">{}</span>').format(text)
    return text


def init_app(app: Flask) -> None:
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt)
    app.jinja_env.filters["datetime"] = date_and_time
    app.jinja_env.filters["number"] = format_decimal
    app.jinja_env.filters["percent"] = percent
    app.jinja_env.filters["bucket_label"] = bucket_label
    app.jinja_env.filters["typed"] = typed
    app.jinja_env.filters["plain"] = plain_text

    app.jinja_env.globals.update(
        event_when=event_when,
        title_of=lambda event: event.title_in(get_locale()),
        registration_answers=registration_questions.answers_of,
        # A full address that works where there is no request too (mail the worker writes).
        external_url=external_url,
        event_day=event_day,
        local_time=local_time,
        status_labels=labels.REGISTRATION_STATUS_LABELS,
        link_labels=labels.LINK_LABELS,
        message_audience_labels=labels.MESSAGE_AUDIENCE_LABELS,
        level_labels=labels.LEVEL_LABELS,
        introduction_status_labels=labels.INTRODUCTION_STATUS_LABELS,
        match_reasons=match_reasons,
        first_questions=FIRST_QUESTIONS,
        now=utcnow,
    )

    @app.context_processor
    def language_context():
        return {
            "current_language": str(get_locale() or "uk"),
            "language_names": {
                code: name for code, name in LANGUAGE_NAMES.items() if code in offered_languages()
            },
            "spoken_language_labels": SPOKEN_LANGUAGE_LABELS,
        }
