"""A demo community for a newcomer's first look: `flask demo seed`."""

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import force_locale
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import (
    Answer,
    CoffeeSubscription,
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Respondent,
    Response,
    Role,
    Round,
    RoundKind,
    RoundStatus,
    Sector,
    User,
)
from app.models.types import utcnow
from app.pairing import match
from app.services import demo_data as data
from app.services import meetings, surveys
from app.services.accounts import set_name
from app.services.profiles import tags_named
from app.services.text import markdown_to_html

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


def _fill_profile(user: User, sector: Sector, rng: random.Random) -> None:
    user.sector = sector
    user.organisation = rng.choice(data.ORGANISATIONS[sector.name_en])
    user.city = _weighted(rng, data.CITIES)
    user.languages = list(_weighted(rng, data.LANGUAGE_SETS))
    own = data.INTERESTS[sector.name_en]
    other = data.INTERESTS[rng.choice(list(data.INTERESTS))]
    interests = rng.sample(own, k=rng.randint(2, 3)) + rng.sample(other, k=rng.randint(0, 2))
    user.interests = tags_named(dict.fromkeys(interests))
    user.offers = tags_named(rng.sample(data.SKILLS, k=rng.randint(1, 3)))
    user.asks = tags_named(rng.sample(data.LOOKING_FOR, k=rng.randint(1, 2)))
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
    """Sectors, three known accounts and `members` people with full profiles.

    Every demo account shares one password, hashed once: hashing is slow on purpose.
    """
    rng = random.Random(seed)
    password_hash = generate_password_hash(DEMO_PASSWORD)
    sectors = [Sector(name_uk=uk, name_en=en, colour=colour) for uk, en, colour in data.SECTORS]
    db.session.add_all(sectors)
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
            created_at=now - timedelta(days=rng.randint(0, 900), minutes=rng.randint(0, 1440)),
        )
        set_name(user, name)
        _fill_profile(user, rng.choice(sectors), rng)
        db.session.add(user)
        if index % 50 == 49:
            db.session.flush()
        progress(1)
    db.session.flush()
    people = list(db.session.scalars(sa.select(User).order_by(User.id)))
    events, registrations = _seed_events(rng, people, now)
    _seed_coffee(rng, people, now)
    _seed_surveys(rng, now)
    return SeedSummary(
        members=members, sectors=len(sectors), events=events, registrations=registrations
    )


def _seed_surveys(rng: random.Random, now) -> None:
    """The after-the-event survey for the two latest past events, answered by most who came."""
    past = db.session.scalars(
        sa.select(Event).where(Event.ends_at < now).order_by(Event.starts_at.desc()).limit(2)
    ).all()
    texts = ["Нові знайомства з людьми з інших секторів", "Формат коротких раундів", "Атмосфера",
             "Більше часу на розмови", "Зручніший майданчик", "Кава була чудова"]  # fmt: skip
    host = db.session.scalar(sa.select(User).where(User.email == HOST_EMAIL))
    for event in past:
        with force_locale("uk"):
            survey = surveys.create_survey(
                host, event=event, title=f"Відгук: {event.title}", anonymous=False,
                audience="checked_in", opens_at=event.ends_at, closes_at=None, with_template=True,
            )  # fmt: skip
        survey.scheduled, survey.invited_at = True, event.ends_at + timedelta(minutes=5)
        came = db.session.scalars(
            sa.select(Registration.user_id).where(
                Registration.event_id == event.id, Registration.checked_in_at.is_not(None)
            )
        ).all()
        for user_id in came:
            answered = rng.random() < 0.6
            db.session.add(
                Respondent(survey_id=survey.id, user_id=user_id, invited=True, answered=answered)
            )
            if not answered:
                continue
            response = Response(
                survey_id=survey.id, user_id=user_id, submitted_on=event.ends_at.date()
            )
            db.session.add(response)
            db.session.flush()
            for question in survey.questions:
                answer = Answer(response_id=response.id, question_id=question.id)
                if question.kind == "rating":
                    answer.number = rng.choices([3, 4, 5], weights=[1, 4, 5])[0]
                elif question.kind == "nps":
                    answer.number = rng.choices(
                        range(11), weights=[1, 1, 1, 1, 1, 2, 3, 5, 8, 9, 8]
                    )[0]
                elif question.kind == "single":
                    answer.option = rng.choices([0, 1, 2], weights=[8, 3, 1])[0]
                elif rng.random() < 0.5:
                    answer.text = rng.choice(texts)
                else:
                    continue
                db.session.add(answer)
    db.session.flush()


def _seed_coffee(rng: random.Random, people: list[User], now) -> None:
    """About 40% in random coffee, with three past rounds met and rated (no emails sent)."""
    subscribers = [p for p in people if p.email == MEMBER_EMAIL or rng.random() < 0.4]
    for user in subscribers:
        db.session.add(
            CoffeeSubscription(
                user_id=user.id,
                frequency=rng.choice(["weekly", "weekly", "biweekly", "monthly"]),
                format=rng.choice(["online", "in_person", "either"]),
                last_round_at=now - timedelta(days=7),
            )
        )
    history: list[tuple[int, int, int]] = []
    for number, weeks_ago in enumerate((3, 2, 1), start=1):
        when = now - timedelta(weeks=weeks_ago)
        round_ = Round(
            kind=RoundKind.COFFEE, number=number, status=RoundStatus.CLOSED, starts_at=when
        )
        db.session.add(round_)
        people_now = {u.id: meetings.person_of(u, when) for u in subscribers}
        matching = match(list(people_now.values()), met=history, seed=number)
        created = meetings.add_meetings(
            round_, matching.groups, people_now, tables=False, online=True
        )
        for meeting in created:
            for member in meeting.members:
                if rng.random() < 0.75:
                    member.met = rng.choices(["yes", "not_yet", "no"], weights=[7, 2, 1])[0]
                    member.rating = rng.randint(3, 5) if member.met == "yes" else None
                    member.wants_contact = member.met == "yes" and rng.random() < 0.6
                    member.responded_at = when + timedelta(days=5)
        history = [(a, b, r + 1) for a, b, r in history] + [
            (g[0], g[1], 1) for g in matching.groups if len(g) >= 2
        ]
        round_.stats = {
            "opted_in": len(subscribers),
            "matched": sum(len(m.members) for m in created),
            "meetings": len(created),
            "cross_sector": sum(
                len({people_now[m.user_id].sector for m in meeting.members}) > 1
                for meeting in created
            ),
            "repeats": 0,
        }
    db.session.flush()


def _seed_events(rng: random.Random, people: list[User], now) -> tuple[int, int]:
    """Past events with attendance and upcoming ones with seats filling up."""
    hosts = [p for p in people if p.role in (Role.HOST, Role.ADMIN)]
    members = [p for p in people if p.role == Role.MEMBER]
    offsets = [-300, -210, -150, -95, -60, -32, -12, 4, 11, 25]  # days from today
    total = 0
    for (title, fmt, city, venue, address), days in zip(data.EVENTS, offsets, strict=True):
        start = (now + timedelta(days=days)).replace(hour=16, minute=0, second=0, microsecond=0)
        event = Event(
            title=title,
            description=data.EVENT_DESCRIPTION,
            description_html=markdown_to_html(data.EVENT_DESCRIPTION),
            format=fmt,
            starts_at=start,
            ends_at=start + timedelta(hours=2, minutes=30),
            timezone="Europe/Kyiv",
            city=city,
            venue=venue,
            address=address,
            online_url="https://meet.jit.si/spilno-demo" if fmt != "offline" else "",
            capacity=rng.choice([None, 30, 40, 60]),
            requires_approval=days == 25,
            status=EventStatus.PUBLISHED,
            hosts=rng.sample(hosts, k=min(2, len(hosts))),
            created_at=start - timedelta(days=30),
        )
        db.session.add(event)
        seats = event.capacity or 50
        crowd = rng.sample(members, k=min(len(members), int(seats * rng.uniform(0.6, 1.3))))
        for position, user in enumerate(crowd):
            if event.requires_approval:
                status = (
                    RegistrationStatus.CONFIRMED
                    if position % 3 == 0
                    else RegistrationStatus.PENDING
                )
            elif position < seats:
                status = RegistrationStatus.CONFIRMED
            else:
                status = RegistrationStatus.WAITLISTED
            checked_in = None
            if days < 0 and status == RegistrationStatus.CONFIRMED and rng.random() < 0.78:
                checked_in = start + timedelta(minutes=rng.randint(-10, 40))
            db.session.add(
                Registration(
                    event=event,
                    user=user,
                    status=status,
                    created_at=start - timedelta(days=20, minutes=-position * 7),
                    checked_in_at=checked_in,
                )
            )
        total += len(crowd)
    db.session.flush()
    return len(data.EVENTS), total


def _unique_email(local: str, used: set[str]) -> str:
    email, n = f"{local}@example.org", 1
    while email in used:
        n += 1
        email = f"{local}{n}@example.org"
    return email
