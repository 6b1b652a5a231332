"""The event page, served again while nothing it is drawn from has changed.

A signed-in member's event page is the same HTML as long as its inputs are the same: the
rows of the event, its hosts, the viewer, the viewer's sector and registration, the seats
taken, and of the request the session's CSRF token and language and the path. One light
query reads those rows raw (`events.event_page_inputs`); when a page was drawn from exactly
the same inputs, it is served again without loading the member or the event or rendering
a template. The key is the inputs themselves, so no write has to remember to invalidate
anything, and nothing can go stale. A page is kept only if its inputs read the same after
it was drawn as before, so it cannot show a state other than its key's. The clock is the one
input that is not a row: a page is kept only until the moment registration closes, when it
would say something else.
"""

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask import current_app, request, session
from flask_login.config import COOKIE_NAME

from app.models.types import utcnow
from app.services import events

PAGES_KEPT = 1024  # per process; a page is about 7 KB


@dataclass(frozen=True)
class Drawn:
    html: str
    until: datetime | None  # when the page changes by itself (registration closes); None: never


_evicting = threading.Lock()


def event_page(event_id: int, draw: Callable[[], Drawn]) -> str:
    key = _key(event_id)
    if key is None:
        return draw().html
    pages = current_app.extensions.setdefault("event_pages", {})
    kept = pages.get(key)
    if kept is not None and (kept.until is None or utcnow() < kept.until):
        return kept.html
    drawn = draw()
    if _key(event_id) != key:
        # Something changed between reading the inputs and drawing: this page may show the
        # newer state, and must not be served for the older one should it ever come back.
        return drawn.html
    with _evicting:
        if len(pages) >= PAGES_KEPT:
            del pages[next(iter(pages))]  # the oldest
        pages[key] = drawn
    return drawn.html


def _key(event_id: int) -> bytes | None:
    """A digest of the page's inputs; None when this page must be drawn afresh."""
    token = session.get("csrf_token")
    if token is None or "_flashes" in session:
        # Drawing the page would put a new CSRF token in this session; flashed messages
        # are shown once.
        return None
    viewer = session.get("_user_id")
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME)
    if viewer is None and request.cookies.get(remember):
        return None  # Flask-Login signs this guest in from the cookie as the page is drawn
    inputs = events.event_page_inputs(event_id, int(viewer) if viewer else None)
    if not inputs:
        return None  # no such event: drawing it answers 404
    seen = repr((inputs, token, session.get("lang"), request.full_path))
    return hashlib.blake2b(seen.encode(), digest_size=32).digest()
