"""The member directory: find people by name, sector, interest and city."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Sector, Tag, User, user_interests
from app.services.collation import name_key


@dataclass(frozen=True)
class DirectoryFilter:
    text: str = ""
    sector_id: int | None = None
    interest: str = ""
    city: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.text or self.sector_id or self.interest or self.city)


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def members_query(criteria: DirectoryFilter) -> sa.Select:
    query = sa.select(User).where(User.deleted_at.is_(None))
    if criteria.text:
        pattern = f"%{escape_like(name_key(criteria.text))}%"
        query = query.where(User.name_key.like(pattern, escape="\\"))
    if criteria.sector_id:
        query = query.where(User.sector_id == criteria.sector_id)
    if criteria.city:
        query = query.where(User.city == criteria.city)
    if criteria.interest:
        tagged = (
            sa.select(user_interests.c.user_id)
            .join(Tag, Tag.id == user_interests.c.tag_id)
            .where(Tag.name == criteria.interest.strip().lower())
        )
        query = query.where(User.id.in_(tagged))
    return query.options(selectinload(User.interests)).order_by(User.name_key, User.id)


def search_members(criteria: DirectoryFilter, *, page: int, per_page: int):
    return db.paginate(members_query(criteria), page=page, per_page=per_page, error_out=False)


def member_profile(user_id: int) -> User | None:
    query = (
        sa.select(User)
        .where(User.id == user_id, User.deleted_at.is_(None))
        .options(selectinload(User.interests), selectinload(User.offers), selectinload(User.asks))
    )
    return db.session.scalar(query)


def community_counts() -> dict[str, int]:
    """Headline numbers for the welcome page, in one round trip."""
    members = sa.select(sa.func.count()).select_from(User).where(User.deleted_at.is_(None))
    cities = sa.select(sa.func.count(sa.distinct(User.city))).where(
        User.deleted_at.is_(None), User.city != ""
    )
    sectors = sa.select(sa.func.count()).select_from(Sector)
    row = db.session.execute(
        sa.select(members.scalar_subquery(), cities.scalar_subquery(), sectors.scalar_subquery())
    ).one()
    return {"members": row[0], "cities": row[1], "sectors": row[2]}
