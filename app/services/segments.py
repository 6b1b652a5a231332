"""Segments: saved filters over members, a service any feature can call.

A segment's criteria are plain JSON (what the builder form sent, checked here); `members`
turns them into one SELECT of user ids, each criterion an EXISTS or a plain condition, so
the database counts 20,000 members without loading one. Messages, the CSV export and later
features all ask here who is in a segment.
"""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    CoffeeSubscription,
    Event,
    Invitation,
    Registration,
    RegistrationStatus,
    Segment,
    Tag,
    User,
    user_asks,
    user_interests,
    user_offers,
)
from app.models.accounts import NEWCOMER_DAYS
from app.models.types import KYIV_ZONE, utcnow
from app.services import errors
from app.services.spreadsheets import csv_text

TAG_TABLES = {"interests": user_interests, "offers": user_offers, "asks": user_asks}


@dataclass
class Criteria:
    """Who is in: every criterion given must hold (an empty one is no criterion)."""

    sector_ids: list[int] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)  # any of these tags
    offers: list[str] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)
    joined_after: str = ""  # ISO dates
    joined_before: str = ""
    attended_at_least: int = 0  # events checked in at…
    attended_since: str = ""  # …since this day (else ever)
    no_shows_at_least: int = 0  # confirmed for an event that is over, never checked in
    checked_in_event_id: int = 0
    in_coffee: bool = False
    not_seen_days: int = 0  # no check-in in the last N days
    newcomers: bool = False
    # People invited from an imported list who have not joined: not members yet, so such a
    # segment holds invitations (`invited_waiting`), and no other criterion applies.
    invited: bool = False

    @classmethod
    def from_json(cls, data: dict) -> "Criteria":
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        return cls(**known)

    def to_json(self) -> dict:
        return {name: value for name, value in asdict(self).items() if value}


def _day(text: str) -> datetime | None:
    try:
        return datetime.combine(date.fromisoformat(text), time.min, KYIV_ZONE) if text else None
    except ValueError:
        return None


def members(criteria: Criteria, *, now: datetime | None = None) -> sa.Select:
    """SELECT users.id of the members in the segment: active accounts only."""
    now = now or utcnow()
    query = sa.select(User.id).where(User.deleted_at.is_(None), User.email.is_not(None))
    if criteria.sector_ids:
        query = query.where(User.sector_id.in_(criteria.sector_ids))
    if criteria.cities:
        query = query.where(User.city.in_(criteria.cities))
    if criteria.languages:
        # JSON arrays differ between the databases: a LIKE on the stored text serves both.
        query = query.where(
            sa.or_(
                *(sa.cast(User.languages, sa.String).like(f'%"{c}"%') for c in criteria.languages)
            )
        )
    for kind, table in TAG_TABLES.items():
        names = getattr(criteria, kind)
        if names:
            tagged = (
                sa.select(table.c.user_id)
                .join(Tag, Tag.id == table.c.tag_id)
                .where(table.c.user_id == User.id, Tag.name.in_(names))
            )
            query = query.where(tagged.exists())
    if after := _day(criteria.joined_after):
        query = query.where(User.created_at >= after)
    if before := _day(criteria.joined_before):
        query = query.where(User.created_at < before + timedelta(days=1))
    if criteria.newcomers:
        query = query.where(User.created_at > now - timedelta(days=NEWCOMER_DAYS))
    checked_in = Registration.checked_in_at.is_not(None)
    if criteria.attended_at_least:
        visits = sa.select(sa.func.count()).where(Registration.user_id == User.id, checked_in)
        if since := _day(criteria.attended_since):
            visits = visits.where(Registration.checked_in_at >= since)
        query = query.where(visits.scalar_subquery() >= criteria.attended_at_least)
    if criteria.no_shows_at_least:
        missed = (
            sa.select(sa.func.count())
            .select_from(Registration)
            .join(Event, Event.id == Registration.event_id)
            .where(
                Registration.user_id == User.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.checked_in_at.is_(None),
                Event.ends_at < now,
            )
        )
        query = query.where(missed.scalar_subquery() >= criteria.no_shows_at_least)
    if criteria.checked_in_event_id:
        came = sa.select(Registration.id).where(
            Registration.user_id == User.id,
            Registration.event_id == criteria.checked_in_event_id,
            checked_in,
        )
        query = query.where(came.exists())
    if criteria.in_coffee:
        coffee = sa.select(CoffeeSubscription.user_id).where(
            CoffeeSubscription.user_id == User.id, CoffeeSubscription.active.is_(True)
        )
        query = query.where(coffee.exists())
    if criteria.not_seen_days:
        recent = sa.select(Registration.id).where(
            Registration.user_id == User.id,
            Registration.checked_in_at >= now - timedelta(days=criteria.not_seen_days),
        )
        query = query.where(~recent.exists())
    return query


def invited_waiting() -> sa.Select:
    """Invitations not accepted yet, oldest first."""
    return (
        sa.select(Invitation)
        .where(Invitation.accepted_at.is_(None))
        .order_by(Invitation.created_at, Invitation.id)
    )


def count(criteria: Criteria) -> int:
    found = invited_waiting() if criteria.invited else members(criteria)
    return db.session.scalar(sa.select(sa.func.count()).select_from(found.subquery()))


def sample(criteria: Criteria, size: int = 12) -> list:
    """Some of who is in: members, or invitations for a segment of the invited."""
    if criteria.invited:
        return list(db.session.scalars(invited_waiting().limit(size)))
    ids = members(criteria).subquery()
    query = sa.select(User).where(User.id.in_(sa.select(ids.c.id))).order_by(User.name_key)
    return list(db.session.scalars(query.limit(size)))


def save(owner: User, name: str, criteria: Criteria) -> Segment:
    if not name.strip():
        raise errors.SegmentNeedsName()
    segment = Segment(owner_id=owner.id, name=name.strip()[:120], criteria=criteria.to_json())
    db.session.add(segment)
    db.session.flush()
    return segment


def saved_segments() -> list[Segment]:
    return list(db.session.scalars(sa.select(Segment).order_by(Segment.name)))


def export_csv(criteria: Criteria, header: list[str]) -> str:
    """The segment's members, one a row, for a spreadsheet (the invited: name and email)."""
    if criteria.invited:
        waiting = db.session.scalars(invited_waiting())
        return csv_text([header, *([i.name, i.email] for i in waiting)])
    ids = members(criteria).subquery()
    people = db.session.scalars(
        sa.select(User).where(User.id.in_(sa.select(ids.c.id))).order_by(User.name_key)
    )
    rows = [header]
    for user in people:
        rows.append(
            [
                user.name,
                user.email,
                user.sector.name if user.sector else "",
                user.organisation,
                user.city,
                ", ".join(user.languages or []),
                user.created_at.date().isoformat(),
            ]
        )
    return csv_text(rows)


def recent_events(limit: int = 40) -> list[Event]:
    """Events people could have been checked in at, latest first, for the builder's choice."""
    query = (
        sa.select(Event)
        .where(Event.status == "published", Event.starts_at < utcnow())
        .order_by(Event.starts_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
