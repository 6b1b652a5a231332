"""Absolute links for emails and QR codes, built from PUBLIC_URL, and their QR codes.

Emails are written by services and the worker, outside any request, so the host name
comes from configuration rather than from the request that happens to be running.
"""

import io
from urllib.parse import urlsplit

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup


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


def qr_svg(link: str, *, border: int = 0, css_class: str = "qr") -> Markup:
    """The link's QR code as inline SVG: one vector path, sharp on any screen or printer.
    `border` is the quiet zone in modules; on paper the card's white padding gives it."""
    import segno  # here, not above: every command loads this module, few draw a code

    code = segno.make(link, error="m", boost_error=False)
    return Markup(code.svg_inline(border=border, omitsize=True, svgclass=css_class, lineclass=None))


def qr_png(link: str, *, scale: int = 8) -> bytes:
    """The link's QR code as PNG, for mail, where SVG is not shown; quiet zone included."""
    import segno

    out = io.BytesIO()
    segno.make(link, error="m", boost_error=False).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()
