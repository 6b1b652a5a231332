"""Printable participant cards: layouts as data, whose card is printed, the worker's jobs.

A layout is a page size, a card size and a grid; margins centre the grid on the page, so
a new preset is a few numbers. `app.services.printing` turns cards into a PDF.
"""

import math
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    CardJob,
    CardJobStatus,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    User,
)
from app.services.collation import name_key
from app.services.links import external_url, qr_svg

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

    @property
    def qr_code(self) -> Markup:
        """The link's QR code as inline SVG: one vector path, sharp in every PDF renderer and
        on every printer. The card's white padding is its quiet zone."""
        return qr_svg(self.link)


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
    waiting = sa.select(CardJob).where(CardJob.status == CardJobStatus.WAITING)
    for job in db.session.scalars(waiting).all():
        from app.services.printing import render_pdf  # WeasyPrint loads when a job waits

        job.status = CardJobStatus.RUNNING
        db.session.commit()
        try:
            with force_locale(job.locale):
                event = db.session.get(Event, job.event_id)
                layout = LAYOUTS[job.layout]
                cards = cards_for(event, job.who, layout, when_of(event))

                def progress(done: int, job=job) -> None:
                    job.done = done
                    db.session.commit()

                pdf = render_pdf(
                    cards, layout, crop_marks=job.crop_marks, title=event.title, progress=progress
                )
                path = job_folder() / f"cards-{job.id}.pdf"
                path.write_bytes(pdf)
                job.path, job.status, job.done = str(path), CardJobStatus.READY, len(cards)
        except Exception:
            db.session.rollback()
            job.status = CardJobStatus.FAILED
            current_app.logger.exception("card job %s failed", job.id)
        db.session.commit()
        done += 1
    return done
