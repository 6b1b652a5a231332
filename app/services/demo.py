"""A demo community for a newcomer's first look: `flask demo seed`."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import (
    Role,
    Sector,
    Tag,
    User,
)
from app.models.types import utcnow
from app.services import demo_data as data
from app.services.accounts import set_name
from app.services.demo_face import seed_community_face
from app.services.demo_history import seed_history
from app.services.demo_introductions import seed_introductions

DEMO_PASSWORD = "spilno-demo"
ADMIN_EMAIL = "admin@example.org"
HOST_EMAIL = "host@example.org"
MEMBER_EMAIL = "member@example.org"

TRANSLIT = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "h",
        "ґ": "g",
        "д": "d",
        "е": "e",
        "є": "ie",
        "ж": "zh",
        "з": "z",
        "и": "y",
        "і": "i",
        "ї": "i",
        "й": "i",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ь": "",
        "ю": "iu",
        "я": "ia",
        "'": "",
    }
)


@dataclass
class SeedSummary:
    members: int
    sectors: int
    events: int = 0
    registrations: int = 0
    meetings: int = 0
    responses: int = 0


def transliterate(text: str) -> str:
    return text.lower().translate(TRANSLIT)


def _random_name(rng: random.Random) -> str:
    female = rng.random() < 0.55
    first = rng.choice(data.FEMALE_NAMES if female else data.MALE_NAMES)
    if rng.random() < 0.2:
        male_form, female_form = rng.choice(data.ADJECTIVE_SURNAMES)
        last = female_form if female else male_form
    else:
        last = rng.choice(data.SURNAMES)
    return f"{first} {last}"


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


def _fill_profile(user: User, sector: Sector, rng: random.Random, tags: dict[str, Tag]) -> None:
    user.sector = sector
    user.organisation = rng.choice(data.ORGANISATIONS[sector.name_en])
    user.city = _weighted(rng, data.CITIES)
    user.languages = list(_weighted(rng, data.LANGUAGE_SETS))
    own = data.INTERESTS[sector.name_en]
    other = data.INTERESTS[rng.choice(list(data.INTERESTS))]
    interests = rng.sample(own, k=rng.randint(2, 3)) + rng.sample(other, k=rng.randint(0, 2))
    user.interests = [tags[name] for name in dict.fromkeys(interests)]
    user.offers = [tags[name] for name in rng.sample(data.SKILLS, k=rng.randint(1, 3))]
    user.asks = [tags[name] for name in rng.sample(data.LOOKING_FOR, k=rng.randint(1, 2))]
    user.bio = " ".join(
        part
        for part in (
            rng.choice(data.BIO_OPENINGS),
            rng.choice(data.BIO_ENDINGS),
            rng.choice(data.BIO_HOBBIES),
        )
        if part
    )
    handle = transliterate(user.name).replace(" ", "_")
    user.contact = f"@{handle}" if rng.random() < 0.8 else ""


def seed_demo_community(
    *, members: int = 300, seed: int = 2026, progress: Callable[[int], None] = lambda n: None
) -> SeedSummary:
    """Sectors, three known accounts, `members` people with full profiles, and their
    history of events, meetings and answers (app/services/demo_history.py).

    Every demo account shares one password, hashed once: hashing is slow on purpose.
    """
    rng = random.Random(seed)
    password_hash = generate_password_hash(DEMO_PASSWORD)
    sectors = [Sector(name_uk=uk, name_en=en, colour=colour) for uk, en, colour in data.SECTORS]
    db.session.add_all(sectors)
    every_tag = [*(n for names in data.INTERESTS.values() for n in names), *data.SKILLS,
                 *data.LOOKING_FOR]  # fmt: skip
    tags = {name: Tag(name=name) for name in dict.fromkeys(every_tag)}  # each made once
    db.session.add_all(tags.values())
    now = utcnow()
    known = [
        (ADMIN_EMAIL, "Оксана Коваленко", Role.ADMIN),
        (HOST_EMAIL, "Тарас Мельник", Role.HOST),
        (MEMBER_EMAIL, "Соломія Гнатюк", Role.MEMBER),
    ]
    used_emails: set[str] = set()
    for index in range(members):
        if index < len(known):
            email, name, role = known[index]
        else:
            name, role = _random_name(rng), Role.HOST if rng.random() < 0.03 else Role.MEMBER
            email = _unique_email(transliterate(name).replace(" ", "."), used_emails)
        used_emails.add(email)
        user = User(
            email=email,
            password_hash=password_hash,
            role=role,
            locale="en" if rng.random() < 0.1 else "uk",
            welcome_step=4,  # an established community: nobody is welcomed on the first run
            created_at=now - timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1440)),
        )
        set_name(user, name)
        _fill_profile(user, rng.choice(sectors), rng, tags)
        db.session.add(user)
        if index % 50 == 49:
            db.session.flush()
        progress(1)
    db.session.flush()
    people = list(db.session.scalars(sa.select(User).order_by(User.id)))
    history = seed_history(rng, people, now)
    if len(people) >= 30:  # enough people for every kind of introduction
        seed_introductions(rng, people, now)
    seed_community_face(rng, [sector.colour for sector in sectors], now)
    return SeedSummary(
        members=members,
        sectors=len(sectors),
        events=history.events,
        registrations=history.registrations,
        meetings=history.meetings,
        responses=history.responses,
    )


def refresh_planner_statistics() -> None:
    """After a bulk load, let the database's planner know how big the tables now are; a
    planner that still thinks them empty picks nested loops over thousands of rows."""
    db.session.execute(sa.text("ANALYZE"))
    db.session.commit()


def _unique_email(local: str, used: set[str]) -> str:
    email, n = f"{local}@example.org", 1
    while email in used:
        n += 1
        email = f"{local}{n}@example.org"
    return email
