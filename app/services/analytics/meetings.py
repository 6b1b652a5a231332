"""Meetings held in the period (live, coffee, introductions): met, rated, contacts, sectors."""

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Meeting, MeetingMember, MetAnswer, Round, RoundStatus, Sector, User
from app.services.analytics.period import Period, share


def declined() -> sa.ColumnElement[bool]:
    return MeetingMember.met.is_not_distinct_from("no")


def held_rounds(period: Period) -> sa.ColumnElement[bool]:
    return sa.and_(
        Round.status.in_([RoundStatus.PUBLISHED, RoundStatus.CLOSED]),
        period.contains(Round.starts_at),
    )


@dataclass
class MeetingBucket:
    start: str
    live: int = 0
    coffee: int = 0
    introduction: int = 0


@dataclass
class Heatmap:
    """Meetings between sectors: cells[(a, b)] == cells[(b, a)], pairs of people counted."""

    sectors: list[Sector]
    cells: dict[tuple[int | None, int | None], int]

    @property
    def top(self) -> int:
        return max(self.cells.values(), default=0)

    def count(self, a: int | None, b: int | None) -> int:
        return self.cells.get((a, b), 0)

    @property
    def rows(self) -> list[tuple[int | None, Sector | None]]:
        """Each sector, and "no sector" when people without one had meetings."""
        rows = [(sector.id, sector) for sector in self.sectors]
        if any(None in pair for pair in self.cells):
            rows.append((None, None))
        return rows


@dataclass
class MeetingFigures:
    buckets: list[MeetingBucket]
    answered: int = 0  # meetings where someone said whether they met
    met: int = 0
    ratings: int = 0
    rating_sum: int = 0
    with_sectors: int = 0  # meetings with two people or more whose sector is known
    cross_sector: int = 0
    contacts: int = 0  # pairs who both chose to stay in touch
    heatmap: Heatmap | None = None

    @property
    def columns(self) -> list[tuple[str, tuple[int, int]]]:
        return [(b.start, (b.live, b.coffee, b.introduction)) for b in self.buckets]

    @property
    def live(self) -> int:
        return sum(b.live for b in self.buckets)

    @property
    def coffee(self) -> int:
        return sum(b.coffee for b in self.buckets)

    @property
    def introductions(self) -> int:
        return sum(b.introduction for b in self.buckets)

    @property
    def held(self) -> int:
        return self.live + self.coffee + self.introductions

    @property
    def met_rate(self) -> float | None:
        return share(self.met, self.answered)

    @property
    def average_rating(self) -> float | None:
        return share(self.rating_sum, self.ratings)

    @property
    def cross_sector_share(self) -> float | None:
        return share(self.cross_sector, self.with_sectors)


def meeting_figures(period: Period) -> MeetingFigures:
    said = MeetingMember.met
    per_meeting = (
        sa.select(
            Round.kind,
            Round.starts_at,
            sa.func.max(sa.case((said == MetAnswer.YES, 1), else_=0)).label("met"),
            sa.func.max(sa.case((said.is_not(None), 1), else_=0)).label("answered"),
            sa.func.count(sa.distinct(User.sector_id)).label("sectors"),
            sa.func.count(User.sector_id).label("with_sector"),
            sa.func.coalesce(sa.func.sum(MeetingMember.rating), 0).label("rating_sum"),
            sa.func.count(MeetingMember.rating).label("ratings"),
        )
        .select_from(Meeting)
        .join(Round, Round.id == Meeting.round_id)
        .join(MeetingMember, MeetingMember.meeting_id == Meeting.id)
        .join(User, User.id == MeetingMember.user_id)
        .where(held_rounds(period))
        .group_by(Meeting.id, Round.kind, Round.starts_at)
        .subquery()
    )
    bucket = period.bucket(per_meeting.c.starts_at)
    figures = MeetingFigures(buckets=[MeetingBucket(key) for key in period.buckets()])
    by_key = {b.start: b for b in figures.buckets}
    query = sa.select(
        per_meeting.c.kind,
        bucket,
        sa.func.count(),
        sa.func.sum(per_meeting.c.answered),
        sa.func.sum(per_meeting.c.met),
        sa.func.sum(per_meeting.c.ratings),
        sa.func.sum(per_meeting.c.rating_sum),
        sa.func.count().filter(per_meeting.c.with_sector >= 2),
        sa.func.count().filter(per_meeting.c.sectors >= 2),
    ).group_by(per_meeting.c.kind, bucket)
    for kind, key, held, answered, met, ratings, rating_sum, known, cross in db.session.execute(
        query
    ):
        setattr(by_key[key], kind, held)
        figures.answered += answered
        figures.met += met
        figures.ratings += ratings
        figures.rating_sum += rating_sum
        figures.with_sectors += known
        figures.cross_sector += cross

    figures.heatmap, figures.contacts = sector_pairs(period)
    return figures


def sector_pairs(period: Period) -> tuple[Heatmap, int]:
    """Every pair of people who shared a meeting, by their sectors; and the pairs who both
    asked to stay in touch."""
    first, second = aliased(MeetingMember), aliased(MeetingMember)
    first_user, second_user = aliased(User), aliased(User)
    both_agreed = sa.and_(first.wants_contact.is_(True), second.wants_contact.is_(True))
    query = (
        sa.select(
            first_user.sector_id,
            second_user.sector_id,
            sa.func.count(),
            sa.func.count().filter(both_agreed),
        )
        .select_from(first)
        .join(
            second, sa.and_(second.meeting_id == first.meeting_id, second.user_id > first.user_id)
        )
        .join(Round, Round.id == first.round_id)
        .join(first_user, first_user.id == first.user_id)
        .join(second_user, second_user.id == second.user_id)
        .where(held_rounds(period))
        .group_by(first_user.sector_id, second_user.sector_id)
    )
    cells: dict[tuple[int | None, int | None], int] = defaultdict(int)
    contacts = 0
    for a, b, pairs, agreed in db.session.execute(query):
        cells[(a, b)] += pairs
        if a != b:
            cells[(b, a)] += pairs
        contacts += agreed
    sectors = list(db.session.scalars(sa.select(Sector).order_by(Sector.id)))
    return Heatmap(sectors, dict(cells)), contacts
