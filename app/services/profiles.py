"""Member profiles: edit one, and the vocabularies that help fill it in."""

from collections.abc import Iterable

import sqlalchemy as sa

from app.extensions import db
from app.models import Sector, Tag, User, user_asks, user_interests, user_offers
from app.services import versions
from app.services.accounts import set_name

MAX_TAGS = 12
MAX_TAG_LENGTH = 60

# Languages a member can list, by ISO 639 code; the UI shows their names.
SPOKEN_LANGUAGES = ("uk", "en", "pl", "de", "fr", "es", "it", "crh", "ru")


def parse_tags(text: str) -> list[str]:
    """'Освіта, ШІ ,освіта' -> ['освіта', 'ші']: lower-cased, unique, in the order typed."""
    seen: dict[str, None] = {}
    for part in text.replace(";", ",").split(","):
        name = " ".join(part.split()).lower()[:MAX_TAG_LENGTH]
        if name:
            seen.setdefault(name, None)
    return list(seen)


def tags_named(names: Iterable[str]) -> list[Tag]:
    names = list(names)
    if not names:
        return []
    existing = {t.name: t for t in db.session.scalars(sa.select(Tag).where(Tag.name.in_(names)))}
    tags = []
    for name in names:
        tag = existing.get(name)
        if tag is None:
            tag = existing[name] = Tag(name=name)
            db.session.add(tag)
        tags.append(tag)
    return tags


def update_profile(
    user: User,
    *,
    name: str,
    sector_id: int | None,
    organisation: str,
    city: str,
    languages: Iterable[str],
    bio: str,
    contact: str,
    interests: Iterable[str],
    offers: Iterable[str],
    asks: Iterable[str],
    show_going: bool = True,
    seen_version: int | None = None,
) -> None:
    versions.check_version(user, seen_version)
    set_name(user, name)
    user.sector_id = sector_id if sector_id and db.session.get(Sector, sector_id) else None
    # A field a hand-made request leaves out arrives as None: it counts as empty.
    user.organisation = (organisation or "").strip()
    user.city = " ".join((city or "").split())
    user.languages = [code for code in SPOKEN_LANGUAGES if code in set(languages)]
    user.bio = (bio or "").strip()
    user.contact = (contact or "").strip()
    user.show_going = show_going
    user.interests = tags_named(interests)
    user.offers = tags_named(offers)
    user.asks = tags_named(asks)
    versions.saved(user)


def all_sectors() -> list[Sector]:
    return list(db.session.scalars(sa.select(Sector).order_by(Sector.name_uk)))


def popular_tags(limit: int = 150) -> list[str]:
    """The tags members use most, for suggestions as someone types."""
    links = sa.union_all(
        *(sa.select(table.c.tag_id) for table in (user_interests, user_offers, user_asks))
    ).subquery()
    uses = sa.func.count().label("uses")
    query = (
        sa.select(Tag.name)
        .join(links, links.c.tag_id == Tag.id)
        .group_by(Tag.id, Tag.name)
        .order_by(uses.desc(), Tag.name)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def known_cities(limit: int = 100) -> list[str]:
    query = (
        sa.select(User.city)
        .where(User.city != "", User.deleted_at.is_(None))
        .group_by(User.city)
        .order_by(sa.func.count().desc(), User.city)
        .limit(limit)
    )
    return list(db.session.scalars(query))
