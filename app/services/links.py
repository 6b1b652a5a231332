"""Absolute links for emails and QR codes, built from PUBLIC_URL.

Emails are written by services and the worker, outside any request, so the host name
comes from configuration rather than from the request that happens to be running.
"""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint: str, **values) -> str:
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        public.netloc, script_name=public.path or "/", url_scheme=public.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)
