"""A form that creates something, sent twice (Back, then Save again), creates it once.

The form carries a key made when it was shown; what the key created is remembered in the
session, so the second send finds it and goes there instead of making a copy."""

import secrets

from flask import session

KEPT = 10  # the last few forms are enough: a key matters only while its page is in history


def new_key() -> str:
    return secrets.token_urlsafe(12)


def done(key: str | None) -> int | None:
    """The id of what this form already created in this browser, if it did."""
    return session.get("once", {}).get(key) if key else None


def remember(key: str | None, created_id: int) -> None:
    if key:
        kept = {**session.get("once", {}), key: created_id}
        session["once"] = dict(list(kept.items())[-KEPT:])
