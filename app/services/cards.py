"""Printable participant cards: layouts as data, HTML to PDF with WeasyPrint.

A layout is a page size, a card size and a grid; margins centre the grid on the page, so
a new preset is a few numbers. WeasyPrint may fetch only the app's own static files.
"""

import gc
import io
import math
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from itertools import repeat
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import numpy
import pikepdf
import sqlalchemy as sa
import zxingcpp
from flask import current_app, render_template
from flask_babel import force_locale
from PIL import Image
from sqlalchemy.orm import selectinload
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from app.extensions import db
from app.models import CardJob, Event, EventStatus, Registration, RegistrationStatus, User
from app.services.collation import name_key
from app.services.links import external_url

WHO = ("confirmed", "checked_in", "registered")


@dataclass(frozen=True)
class Layout:
    name: str
    page_width: float  # millimetres
    page_height: float
    card_width: float
    card_height: float
    columns: int
    rows: int
    gap_x: float = 0.0
    gap_y: float = 0.0

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def margin_x(self) -> float:
        used = self.columns * self.card_width + (self.columns - 1) * self.gap_x
        return (self.page_width - used) / 2

    @property
    def margin_y(self) -> float:
        used = self.rows * self.card_height + (self.rows - 1) * self.gap_y
        return (self.page_height - used) / 2

    def cells(self) -> list[tuple[float, float]]:
        """Top-left corner of each card on a page, row by row."""
        return [
            (
                self.margin_x + column * (self.card_width + self.gap_x),
                self.margin_y + row * (self.card_height + self.gap_y),
            )
            for row in range(self.rows)
            for column in range(self.columns)
        ]

    @property
    def qr_size(self) -> float:
        """The side of a card's QR code: 30% of the card's shorter side."""
        return min(self.card_width, self.card_height) * 0.3

    def qr_corners(self) -> list[tuple[float, float]]:
        """Where each card's QR code ends on a page: its bottom-right corner, 5 mm in from
        the card's right edge and 4 mm up from its bottom, as the card's padding."""
        return [(x + self.card_width - 5, y + self.card_height - 4) for x, y in self.cells()]

    def pages_for(self, cards: int) -> int:
        return max(1, math.ceil(cards / self.per_page))

    @cached_property
    def crop_marks(self) -> str:
        """A page's crop marks, a small cross at every card corner, as one SVG data URI: the
        same picture on every page, so WeasyPrint parses it once per document."""
        corners = {
            (x + dx, y + dy)
            for x, y in self.cells()
            for dx in (0, self.card_width)
            for dy in (0, self.card_height)
        }
        path = "".join(
            f"M{x - 2.5:.2f} {y:.2f}h5M{x:.2f} {y - 2.5:.2f}v5" for x, y in sorted(corners)
        )
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {self.page_width} '
            f'{self.page_height}"><path stroke="#444" stroke-width="0.2" fill="none" '
            f'd="{path}"/></svg>'
        )
        return "data:image/svg+xml," + quote(svg)


A4 = (210.0, 297.0)
LETTER = (215.9, 279.4)
LAYOUTS = {
    layout.name: layout
    for layout in (
        Layout("a4-8", *A4, 105.0, 74.0, 2, 4),  # A7 cards
        Layout("a4-4", *A4, 105.0, 148.0, 2, 2),  # A6 cards
        Layout("a6", 105.0, 148.0, 105.0, 148.0, 1, 1),  # one per page, for badge printers
        Layout("letter-6", *LETTER, 101.6, 76.2, 2, 3, 0.0, 0.0),  # 4 × 3 in badges
        Layout("label-90x54", *A4, 90.0, 54.0, 2, 5, 10.0, 0.0),  # 10 labels
    )
}


@dataclass
class Card:
    name: str
    organisation: str
    sector: str
    colour: str
    interests: list[str]
    offers: list[str]
    event_title: str
    event_date: str
    link: str  # the absolute URL its QR code opens
    name_size: float  # points


def name_size(name: str, card_width_mm: float) -> float:
    """The largest size at which the name fits the card's width on at most two lines."""
    longest_word = max((len(word) for word in name.split()), default=1)
    width_pt = (card_width_mm - 16) * 72 / 25.4
    # DejaVu Sans Bold averages about 0.62 em a character.
    by_word = width_pt / (0.64 * max(longest_word, 1))
    by_lines = width_pt * 2 / (0.64 * max(len(name), 1))
    return round(max(9.0, min(26.0 * card_width_mm / 105, by_word, by_lines)), 1)


def name_size_for(name: str, layout: Layout) -> float:
    """Smaller cards (labels) leave less height for the name."""
    size = name_size(name, layout.card_width)
    return min(size, 18.0) if layout.card_height < 60 else size


def qr_modules(url: str) -> numpy.ndarray:
    """The QR code as a square of modules, 0 dark and 255 light. zxing-cpp picks the best
    mask in C++, where a pure-Python encoder spent 5 ms a card on it."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return numpy.asarray(code.to_image(scale=1, add_quiet_zones=False))


def page_of_codes(links: list[str], layout: Layout) -> bytes:
    """A page's QR codes as one picture the size of the page, each code in its card's corner
    and white elsewhere, drawn under the cards. WeasyPrint then loads, places and embeds one
    picture a page instead of one a card.

    A pixel is a module wide, and the page shows it without smoothing (`image-rendering:
    pixelated`), so the codes print as sharp as vectors; a code lands within half a module
    (under half a millimetre) of its place. The picture is a JPEG at quality 100, which
    WeasyPrint embeds as it is; a PNG it would decode and compress again, a tenth of the
    printing time. A module's grey is off by at most 1 in 255: black and white on paper."""
    codes = [qr_modules(link) for link in links]
    pitch = layout.qr_size / max(code.shape[0] for code in codes)
    width, height = round(layout.page_width / pitch), round(layout.page_height / pitch)
    page = numpy.full((height, width), 255, numpy.uint8)
    for code, (right, bottom) in zip(codes, layout.qr_corners(), strict=False):
        side = code.shape[0]
        left = round(right / layout.page_width * width) - side
        top = round(bottom / layout.page_height * height) - side
        page[top : top + side, left : left + side] = code
    jpeg = io.BytesIO()
    Image.fromarray(page).save(jpeg, format="JPEG", quality=100, optimize=True)
    return jpeg.getvalue()


def _whose_cards(query: sa.Select, event: Event, who: str) -> sa.Select:
    """Confirmed, checked in, or everyone still registered (waitlisted and pending too)."""
    query = query.join(User, User.id == Registration.user_id).where(
        Registration.event_id == event.id, User.deleted_at.is_(None)
    )
    if who == "checked_in":
        query = query.where(Registration.checked_in_at.is_not(None))
    if who in ("confirmed", "checked_in"):
        return query.where(Registration.status == RegistrationStatus.CONFIRMED)
    active = [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.PENDING,
    ]
    return query.where(Registration.status.in_(active))


def cards_for(event: Event, who: str, layout: Layout, when: str) -> list[Card]:
    query = _whose_cards(sa.select(Registration), event, who).options(
        selectinload(Registration.user).selectinload(User.sector),
        selectinload(Registration.user).selectinload(User.interests),
        selectinload(Registration.user).selectinload(User.offers),
    )
    registrations = sorted(db.session.scalars(query), key=lambda r: name_key(r.user.name))
    return [card_of(r.user, r, event, layout, when) for r in registrations]


def card_of(
    user: User, registration: Registration | None, event: Event | None, layout, when
) -> Card:
    if registration is not None:
        target = external_url("events.ticket", token=registration.ticket_token)
    else:
        target = external_url("members.profile", user_id=user.id)
    return Card(
        name=user.name,
        organisation=user.organisation,
        sector=user.sector.name if user.sector else "",
        colour=user.sector.colour if user.sector else "#8a94a6",
        interests=[t.name for t in user.interests][:3],
        offers=[t.name for t in user.offers][:3],
        event_title=event.title if event else "",
        event_date=when,
        link=target,
        name_size=name_size_for(user.name, layout),
    )


@dataclass(frozen=True)
class Sheet:
    """A document of cards that any process can print: its HTML, the links its cards' QR
    codes open (in card order) and its layout."""

    html: str
    links: list[str]
    layout: Layout

    def links_on_page(self, page: int) -> list[str]:
        per_page = self.layout.per_page
        return self.links[page * per_page : (page + 1) * per_page]


class SheetFetcher(URLFetcher):
    """All a sheet of cards may fetch: the app's own static files (the fonts), the crop marks'
    picture, and each page's QR codes, `codes:<page>` in the HTML, drawn here from the links
    (in the printer's process, with no data URI to write, parse and decode). A name such as
    `<img src=http://…>` prints as text, and nothing else is ever fetched."""

    def __init__(self, static: Path, sheet: Sheet):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)
        self.static, self.sheet = static, sheet

    def fetch(self, url, headers=None):
        if url.startswith("codes:"):
            links = self.sheet.links_on_page(int(url.removeprefix("codes:")))
            if not links:
                raise ValueError(f"{url!r}: no cards on that page")
            jpeg = page_of_codes(links, self.sheet.layout)
            return URLFetcherResponse(url, jpeg, {"Content-Type": "image/jpeg"})
        parts = urlsplit(url)
        if parts.scheme == "data" and url.startswith("data:image/svg+xml,"):
            return super().fetch(url, headers)  # the crop marks: nothing leaves
        path = Path(unquote(parts.path)).resolve()
        if parts.scheme != "file" or not path.is_relative_to(self.static):
            raise ValueError(f"Spilno does not fetch {url!r} while printing")
        return super().fetch(url, headers)


# The elements a sheet of cards is made of, and the default rules a browser gives them, in
# place of WeasyPrint's stylesheet for all of HTML. Its 250 rules are matched against every
# element: its rules for the pseudo-elements of lists and footnotes alone gave each element
# six styles for nothing, an eighth of the printing time, and the rest a twentieth more.
# An element the template starts to use comes here first (a test holds the two together).
CARD_ELEMENTS = frozenset({"html", "head", "meta", "title", "style", "body", "div", "p", "img"})
CARD_UA_STYLESHEET = CSS(
    string="head { display: none } html, body, div, p { display: block } img { overflow: hidden }"
)


class CardSheet(HTML):
    def _ua_stylesheets(self, forms=False):
        return [CARD_UA_STYLESHEET]


def sheet_of(cards: list[Card], layout: Layout, crop_marks: bool, title: str) -> Sheet:
    pages = [cards[i : i + layout.per_page] for i in range(0, len(cards), layout.per_page)] or [[]]
    html = render_template(
        "cards/sheet.html", pages=pages, layout=layout, crop_marks=crop_marks, title=title
    )
    return Sheet(html, [card.link for card in cards], layout)


def pdf_of_sheet(sheet: Sheet, static_folder: str) -> bytes:
    """HTML to PDF and nothing else: no app, no database, so a printer process can run it."""
    static = Path(static_folder).resolve()
    document = CardSheet(
        string=sheet.html, base_url=static.as_uri() + "/", url_fetcher=SheetFetcher(static, sheet)
    )
    return document.write_pdf()


def render_pdf(cards: list[Card], layout: Layout, *, crop_marks: bool, title: str) -> bytes:
    return pdf_of_sheet(sheet_of(cards, layout, crop_marks, title), current_app.static_folder)


def print_on_every_core(
    cards: list[Card], layout: Layout, *, crop_marks: bool, title: str, progress=None
) -> bytes:
    """A big set printed as chunks of whole pages, one process per core, then joined.

    WeasyPrint is pure Python where it is slow, so threads would wait on each other; forked
    processes start with everything imported. Each printer first freezes what it inherited,
    so its garbage collector leaves those objects, and the memory they share with the
    parent, untouched: a third fewer pages copied. `progress(done)` hears of each chunk."""
    printers = current_app.config["CARD_PRINTERS"] or cores()
    chunks = chunked(cards, layout, printers)
    sheets = (sheet_of(chunk, layout, crop_marks, title) for chunk in chunks)
    statics = repeat(current_app.static_folder)
    printers = min(len(chunks), printers)
    fork = multiprocessing.get_context("fork")
    pool = (
        ProcessPoolExecutor(printers, mp_context=fork, initializer=gc.freeze)
        if printers > 1
        else nullcontext()
    )
    parts, done = [], 0
    with pool:
        # The pool hands each chunk to the printers as soon as its HTML is written and gives
        # the PDFs back in page order; with one printer, plain `map` prints them here.
        printed = (pool.map if printers > 1 else map)(pdf_of_sheet, sheets, statics)
        for chunk, pdf in zip(chunks, printed, strict=True):
            parts.append(pdf)
            done += len(chunk)
            if progress:
                progress(done)
    return parts[0] if len(parts) == 1 else join_pdfs(parts, title)


def chunked(cards: list[Card], layout: Layout, printers: int) -> list[list[Card]]:
    """Whole pages, in as few chunks as keep every printer busy to the end: each chunk is a
    document with its own fonts to load and embed. A multiple of the printers, of about the
    same size, and none over CHUNK cards (the memory of a printer, the steps of progress)."""
    pages = layout.pages_for(len(cards))
    count = max(printers, math.ceil(len(cards) / CHUNK))
    count = min(pages, math.ceil(count / printers) * printers)
    size = layout.per_page * math.ceil(pages / count)
    return [cards[i : i + size] for i in range(0, len(cards), size)] or [[]]


def cores() -> int:
    """The cores this process may run on (a container may see more than it is given)."""
    return len(os.sched_getaffinity(0))


def join_pdfs(parts: list[bytes], title: str) -> bytes:
    """The chunks' pages as one PDF, by qpdf: in C++, five times faster than in Python."""
    joined = pikepdf.Pdf.new()
    sources = [pikepdf.Pdf.open(io.BytesIO(part)) for part in parts]  # open until saved
    for source in sources:
        joined.pages.extend(source.pages)
    joined.docinfo["/Title"] = title
    out = io.BytesIO()
    joined.save(out)
    return out.getvalue()


def next_confirmed(user: User, now: datetime) -> Registration | None:
    """The member's next confirmed event, whose ticket their own card carries: never one
    that is over or cancelled."""
    query = (
        sa.select(Registration)
        .join(Event, Event.id == Registration.event_id)
        .where(
            Registration.user_id == user.id,
            Registration.status == RegistrationStatus.CONFIRMED,
            Event.status == EventStatus.PUBLISHED,
            Event.ends_at >= now,
        )
        .order_by(Event.starts_at)
        .limit(1)
        .options(selectinload(Registration.event))
    )
    return db.session.scalar(query)


# --- big sets, printed by the worker --------------------------------------------------------

DIRECT_LIMIT = 300  # more cards than this are printed in the background
CHUNK = 250


def count_cards(event: Event, who: str) -> int:
    query = _whose_cards(sa.select(sa.func.count(Registration.id)), event, who)
    return db.session.scalar(query)


def start_job(event: Event, user: User, *, layout: str, who: str, crop_marks: bool) -> CardJob:
    job = CardJob(
        event_id=event.id,
        requested_by_id=user.id,
        layout=layout,
        who=who,
        crop_marks=crop_marks,
        locale=user.locale,
        total=count_cards(event, who),
    )
    db.session.add(job)
    return job


def job_folder() -> Path:
    folder = Path(current_app.config["CARDS_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def run_waiting_jobs(when_of) -> int:
    """Print every waiting job, committing the progress as each chunk of pages is done."""
    done = 0
    for job in db.session.scalars(sa.select(CardJob).where(CardJob.status == "waiting")).all():
        job.status = "running"
        db.session.commit()
        try:
            with force_locale(job.locale):
                event = db.session.get(Event, job.event_id)
                layout = LAYOUTS[job.layout]
                cards = cards_for(event, job.who, layout, when_of(event))

                def progress(done: int, job=job) -> None:
                    job.done = done
                    db.session.commit()

                pdf = print_on_every_core(
                    cards, layout, crop_marks=job.crop_marks, title=event.title, progress=progress
                )
                path = job_folder() / f"cards-{job.id}.pdf"
                path.write_bytes(pdf)
                job.path, job.status, job.done = str(path), "ready", len(cards)
        except Exception:
            db.session.rollback()
            job.status = "failed"
            current_app.logger.exception("card job %s failed", job.id)
        db.session.commit()
        done += 1
    return done
