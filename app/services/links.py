"""Absolute links for emails and QR codes, built from PUBLIC_URL.

Emails are written by services and the worker, outside any request, so the host name
comes from configuration rather than from the request that happens to be running.
"""

from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer


def external_url(endpoint: str, **values) -> str:
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        public.netloc, script_name=public.path or "/", url_scheme=public.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def signed(purpose: str, **data) -> str:
    """A token for a link in a mail: `data`, signed with SECRET_KEY for one purpose only."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=purpose).dumps(data)


def read_signed(purpose: str, token: str) -> dict | None:
    """What `signed` put in the token, or None when it was not signed here for `purpose`."""
    try:
        data = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=purpose).loads(token)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None
