"""Who may do what, safe redirects and the headers every response carries."""

from urllib.parse import urlsplit

from flask import Flask, abort, request
from flask_login import current_user

from app.extensions import login_manager

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


def require_login() -> None:
    """Send a guest to log in (and back here afterwards); signed-in people pass."""
    if not current_user.is_authenticated:
        abort(login_manager.unauthorized())


def require_role(*roles: str):
    """The same check for a blueprint's before_request: guards every route of an area."""

    def guard():
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if roles and current_user.role not in roles:
            abort(403)
        return None

    return guard


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
