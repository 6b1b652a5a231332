"""Who may do what, safe redirects and the headers every response carries.

Views say who may use them with the decorators here, the same way in every blueprint:
`@login_required`, `@role_required(Role.HOST, Role.ADMIN)`, `@hosts_of_event` (the view
gets the event instead of its id), `@managers_of_survey`, `@people_of_meeting`. A guest is
asked to log in, a signed-in person without the right gets 403, and what does not exist 404.
"""

from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, abort, request
from flask_login import current_user, login_required

from app.extensions import db, login_manager
from app.models import Event, EventStatus, MeetingMember, Role, Survey
from app.services import events, meetings

__all__ = [
    "hosts_of_event",
    "login_required",
    "managers_of_survey",
    "people_of_meeting",
    "role_required",
    "visible",
]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Sector colours are data, set as style attributes; no inline <style> or script.
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _refuse_unless(allowed: bool) -> None:
    """A guest is sent to log in (and back here afterwards); anyone else not allowed, 403."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    if not allowed:
        abort(403)


def has_role(*roles: Role) -> bool:
    return current_user.is_authenticated and current_user.role in roles


def role_required(*roles: Role):
    """A view for signed-in people with one of `roles`."""

    def decorator(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            _refuse_unless(has_role(*roles))
            return view(*args, **kwargs)

        return guarded

    return decorator


def hosts_of_event(view):
    """A view of one event (`event_id` in its URL) for the event's hosts and the admins; it is
    called with the event, hosts loaded, in place of the id."""

    @wraps(view)
    def guarded(event_id: int, **kwargs):
        return view(event=_hosted_event(event_id), **kwargs)

    return guarded


def _hosted_event(event_id: int) -> Event:
    # A draft does not exist for anyone but its hosts: not found, rather than forbidden.
    event = visible(events.event_with_hosts(event_id))
    _refuse_unless(event.is_hosted_by(current_user))
    return event


def managers_of_survey(view):
    """A survey (`survey_id` in the URL) for those who manage it: an event's survey for the
    event's hosts, a community survey for the admins. The view is called with the survey."""

    @wraps(view)
    def guarded(survey_id: int, **kwargs):
        survey = db.session.get(Survey, survey_id)
        if survey is None:
            abort(404)
        if survey.event_id is not None:
            _hosted_event(survey.event_id)
        else:
            _refuse_unless(has_role(Role.ADMIN))
        return view(survey=survey, **kwargs)

    return guarded


def people_of_meeting(view):
    """A meeting (`meeting_id` in the URL) for the people in it: by the signed link in their
    email (`token`), or signed in. The view is called with the person's MeetingMember."""

    @wraps(view)
    def guarded(meeting_id: int, **kwargs):
        token = request.values.get("token")
        if token:
            member = meetings.member_for_token(meeting_id, token)
            if member is None:
                abort(404)
        else:
            _refuse_unless(current_user.is_authenticated)
            member = db.session.get(MeetingMember, (meeting_id, current_user.id))
            _refuse_unless(member is not None)
        return view(member=member, **kwargs)

    return guarded


def visible(event: Event | None) -> Event:
    """Published and cancelled events are public; a draft, only to its hosts; a proposal, to
    its proposer and those who decide (to anyone else it does not exist)."""
    if event is None:
        abort(404)
    if event.status == EventStatus.DRAFT and not event.is_hosted_by(current_user):
        abort(404)
    if event.status in (EventStatus.PROPOSED, EventStatus.DECLINED) and not (
        has_role(Role.HOST, Role.ADMIN) or event.proposed_by_id == viewer_id()
    ):
        abort(404)  # a proposal is its proposer's and the deciders' only
    return event


def viewer_id() -> int | None:
    """The signed-in member's id, or None for a guest."""
    return current_user.id if current_user.is_authenticated else None


def is_safe_next(target: str | None) -> bool:
    """Only paths on this site: no scheme, no host, no `//evil` or `/\\evil` tricks, and
    no space or control character (a line break in a Location header is a 500, or worse)."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if not target.isprintable() or any(c.isspace() for c in target):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc and "\\" not in target


def refuse_nul_bytes() -> None:
    """A NUL is never typed by a person, and PostgreSQL refuses it in text: say so early."""
    values = [request.path, *request.args.values(), *request.args.keys()]
    if request.method == "POST":
        values += [*request.form.keys(), *request.form.values()]
    if any("\x00" in value for value in values):
        abort(400)


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul_bytes)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
