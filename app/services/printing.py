"""Printing with WeasyPrint: sheets of cards to PDF, several pages in parallel; a report.

Imported only where something prints, so that loading the app (every `flask` command, the
worker between jobs) does not load WeasyPrint. It may fetch only the app's own static files.
"""

import io
import math
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from flask_babel import force_locale, get_locale
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from app.services import community, pictures
from app.services.cards import Card, Layout

CHUNK = 250  # the most cards one printer takes at a time: its memory, the steps of progress


class StaticOnly(URLFetcher):
    """The fence around printing: the app's own static files (the fonts), the community's
    logo and the crop marks' picture, nothing else. A name such as `<img src=http://…>`
    prints as text, and a sheet never reaches the network or the rest of the disk."""

    def __init__(self, static: Path, logo: Path | None = None):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.static = static
        self.logo = logo

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme == "data" and url.startswith("data:image/svg+xml,"):
            return super().fetch(url, headers)  # the crop marks: nothing leaves
        path = Path(unquote(parts.path)).resolve()
        allowed = path.is_relative_to(self.static) or (self.logo is not None and path == self.logo)
        if parts.scheme != "file" or not allowed:
            raise ValueError(f"Spilno does not fetch {url!r} while printing")
        return super().fetch(url, headers)


def sheet_html(
    cards: list[Card], layout: Layout, crop_marks: bool, title: str, logo: Path | None = None
) -> str:
    pages = [cards[i : i + layout.per_page] for i in range(0, len(cards), layout.per_page)] or [[]]
    return render_template(
        "cards/sheet.html",
        pages=pages,
        layout=layout,
        crop_marks=crop_marks,
        title=title,
        logo=logo.as_uri() if logo else None,
    )


def logo_file(app) -> Path | None:
    """The community's logo as stored, if it has one."""
    name = community.load().logo
    filename = pictures.picture_file(name, "logo") if name else None
    path = Path(app.config["UPLOADS_DIR"]).resolve() / filename if filename else None
    return path if path and path.is_file() else None


def render_pdf(
    cards: list[Card], layout: Layout, *, crop_marks: bool, title: str, progress=None
) -> bytes:
    """The cards as one PDF. A set of several pages is printed as chunks of whole pages, one
    forked process per core (WeasyPrint is pure Python where it is slow, so threads would
    wait on each other), then joined; `progress(done)` hears of each chunk as it comes back."""
    printers = current_app.config["CARD_PRINTERS"] or cores()
    chunks = chunked(cards, layout, printers)
    print_one = partial(
        print_chunk, layout=layout, crop_marks=crop_marks, title=title, locale=str(get_locale())
    )
    if len(chunks) == 1:
        printed = map(print_one, chunks)
        parts = _collect(chunks, printed, progress)
    else:
        # A forked printer gets the app as it is, unpickled, through the initializer.
        app = current_app._get_current_object()
        fork = multiprocessing.get_context("fork")
        printers = min(len(chunks), printers)
        with ProcessPoolExecutor(printers, fork, initializer=_adopt, initargs=(app,)) as pool:
            parts = _collect(chunks, pool.map(print_one, chunks), progress)
    return parts[0] if len(parts) == 1 else join_pdfs(parts, title)


def _collect(chunks: list[list[Card]], printed, progress) -> list[bytes]:
    parts, done = [], 0
    for chunk, pdf in zip(chunks, printed, strict=True):
        parts.append(pdf)
        done += len(chunk)
        if progress:
            progress(done)
    return parts


_printer_app = None  # in a printer process, the app it was forked from


def _adopt(app) -> None:
    global _printer_app
    _printer_app = app


def print_chunk(cards: list[Card], *, layout: Layout, crop_marks: bool, title: str, locale: str):
    app = _printer_app or current_app._get_current_object()
    with app.app_context(), force_locale(locale):
        static = Path(app.static_folder).resolve()
        logo = logo_file(app)
        html = HTML(
            string=sheet_html(cards, layout, crop_marks, title, logo),
            base_url=static.as_uri() + "/",
            url_fetcher=StaticOnly(static, logo),
        )
        return html.write_pdf()


def print_document(html: str) -> bytes:
    """A page of the app's own HTML (a report) as PDF, behind the same fence as the cards."""
    app = current_app._get_current_object()
    static = Path(app.static_folder).resolve()
    logo = logo_file(app)
    document = HTML(
        string=html, base_url=static.as_uri() + "/", url_fetcher=StaticOnly(static, logo)
    )
    return document.write_pdf()


def chunked(cards: list[Card], layout: Layout, printers: int) -> list[list[Card]]:
    """Whole pages, in as few chunks as keep every printer busy to the end, none over CHUNK
    cards (a printer's memory, the steps of progress). A set that fits one page is one chunk."""
    pages = layout.pages_for(len(cards))
    count = max(printers, math.ceil(len(cards) / CHUNK))
    count = min(pages, math.ceil(count / printers) * printers)
    size = layout.per_page * math.ceil(pages / count)
    return [cards[i : i + size] for i in range(0, len(cards), size)] or [[]]


def cores() -> int:
    """The cores this process may run on (a container may see more than it is given)."""
    return len(os.sched_getaffinity(0))


def join_pdfs(parts: list[bytes], title: str) -> bytes:
    joined = PdfWriter()
    for part in parts:
        joined.append(PdfReader(io.BytesIO(part)))
    joined.add_metadata({"/Title": title})
    out = io.BytesIO()
    joined.write(out)
    return out.getvalue()
