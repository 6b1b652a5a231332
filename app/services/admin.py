"""What the community manager edits: the user list and the sector list."""

import sqlalchemy as sa

from app.extensions import db
from app.models import Sector, User
from app.services import errors
from app.services.collation import name_key
from app.services.directory import escape_like


def users_query(text: str = "", role: str = "") -> sa.Select:
    query = sa.select(User).where(User.deleted_at.is_(None))
    if text:
        pattern = f"%{escape_like(name_key(text))}%"
        email_pattern = f"%{escape_like(text.strip().lower())}%"
        query = query.where(
            sa.or_(
                User.name_key.like(pattern, escape="\\"),
                User.email.like(email_pattern, escape="\\"),
            )
        )
    if role:
        query = query.where(User.role == role)
    return query.order_by(User.name_key, User.id)


def list_users(text: str, role: str, *, page: int, per_page: int = 50):
    return db.paginate(users_query(text, role), page=page, per_page=per_page, error_out=False)


def save_sector(sector: Sector | None, *, name_uk: str, name_en: str, colour: str) -> Sector:
    """Create a sector (sector=None) or rename and recolour one."""
    name_uk, name_en = " ".join(name_uk.split()), " ".join(name_en.split())
    clash = sa.select(Sector.id).where(
        sa.or_(Sector.name_uk == name_uk, Sector.name_en == name_en),
        Sector.id != (sector.id if sector else -1),
    )
    if db.session.scalar(clash) is not None:
        raise errors.SectorNameTaken()
    if sector is None:
        sector = Sector()
        db.session.add(sector)
    sector.name_uk, sector.name_en, sector.colour = name_uk, name_en, colour.lower()
    return sector


def remove_sector(sector: Sector, *, merge_into: int | None = None) -> int:
    """Take a sector away. Its members (deleted accounts too) move to `merge_into`; one that
    nobody names needs none. Returns how many members moved."""
    named = sa.select(sa.func.count()).where(User.sector_id == sector.id)
    if merge_into is None:
        if db.session.scalar(named):
            raise errors.SectorInUse()
        moved = 0
    else:
        target = db.session.get(Sector, merge_into)
        if target is None or target.id == sector.id:
            raise errors.SectorInUse()
        moved = db.session.execute(
            sa.update(User).where(User.sector_id == sector.id).values(sector_id=target.id)
        ).rowcount
    db.session.delete(sector)
    return moved


def sectors_with_member_counts() -> list[tuple[Sector, int]]:
    members = (
        sa.select(sa.func.count())
        .where(User.sector_id == Sector.id, User.deleted_at.is_(None))
        .correlate(Sector)
        .scalar_subquery()
    )
    return [
        tuple(row)
        for row in db.session.execute(sa.select(Sector, members).order_by(Sector.name_uk))
    ]
