"""The demo community's past, scaled to its size: a year and a half of events with
registrations, check-ins and live rounds, monthly random coffee, and survey answers.

With 5,000 members that is about 200 events, 20,000 registrations, 10,000 meetings and
thousands of answers: enough for the dashboard to be read, and measured, like a real one.
Rows that need no identity of their own go in with bulk inserts; seeding must stay quick.
"""

import random
from dataclasses import dataclass, replace
from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import (
    Answer,
    Audience,
    CoffeeFormat,
    CoffeeSubscription,
    Event,
    EventFormat,
    EventStatus,
    MetAnswer,
    QuestionKind,
    Registration,
    RegistrationStatus,
    Respondent,
    Response,
    Role,
    Round,
    RoundKind,
    RoundStatus,
    User,
)
from app.models.accounts import NEWCOMER_DAYS
from app.models.surveys import new_response_id
from app.models.types import KYIV
from app.pairing import Person, match
from app.services import demo_data as data
from app.services import meetings, surveys
from app.services.text import markdown_to_html

MEMBERS_PER_EVENT = 25  # 5,000 members hold about 200 events
HISTORY_DAYS = 540
UPCOMING_DAYS = (4, 11, 25)  # the last one asks for approval
COFFEE_MONTHS = 12
FEEDBACK_TEXTS = [
    "Нові знайомства з людьми з інших секторів",
    "Формат коротких раундів",
    "Атмосфера",
    "Більше часу на розмови",
    "Зручніший майданчик",
    "Кава була чудова",
    "Познайомилася з двома людьми з бізнесу, з якими тепер робимо спільний проєкт для громади.",
    "Вперше за довгий час поговорив з людьми з державного сектору по-людськи, без протоколу.",
    "Короткі раунди — найкраще: за вечір шість нових людей, і з кожним є про що говорити.",
]


@dataclass
class History:
    events: int = 0
    registrations: int = 0
    meetings: int = 0
    responses: int = 0


def seed_history(rng: random.Random, people: list[User], now) -> History:
    history = History()
    engagement = _engagement(rng, people)
    past = _seed_events(rng, people, engagement, now, history)
    # The pairing engine's view of everyone, read once: profiles do not change in the past.
    persons = meetings.people_of(sa.select(User.id), now)
    for event, came in past:
        history.meetings += _seed_live_rounds(rng, event, _as_of(persons, came, event.starts_at))
    history.meetings += _seed_coffee(rng, people, persons, engagement, now)
    host = next((p for p in people if p.role == Role.HOST), people[0])
    for event, came in past:
        if rng.random() < 0.85:
            history.responses += _seed_survey(rng, host, event, came)
    db.session.flush()
    return history


def _engagement(rng: random.Random, people: list[User]) -> dict[int, float]:
    """A few come to everything, most come now and then or never: how communities are."""
    weights = {}
    for person in people:
        roll = rng.random()
        weights[person.id] = 12.0 if roll < 0.05 else 3.0 if roll < 0.2 else 0.4
    for person in people[:3]:  # the demo accounts have a history to look at
        weights[person.id] = 12.0
    return weights


def _weighted_sample(rng: random.Random, people: list[User], weights, k: int) -> list[User]:
    """k people without repeats, each drawn in proportion to their weight (Efraimidis–Spirakis)."""
    keyed = sorted(people, key=lambda p: rng.random() ** (1.0 / weights[p.id]), reverse=True)
    return keyed[:k]


def _event_days(count: int) -> list[int]:
    past = count - len(UPCOMING_DAYS)
    step = (HISTORY_DAYS - 5) / max(past - 1, 1)
    return [round(-HISTORY_DAYS + n * step) for n in range(past)] + list(UPCOMING_DAYS)


def _seed_events(rng, people, engagement, now, history: History) -> list[tuple[Event, list]]:
    """The community's events, past and upcoming, and who registered and came to each;
    returns the past ones with the people who came."""
    hosts = [p for p in people if p.role in (Role.HOST, Role.ADMIN)]
    members = [p for p in people if p.role == Role.MEMBER]
    count = max(12, round(len(people) / MEMBERS_PER_EVENT))
    base = max(40, len(people) // 50)
    events = [
        _new_event(rng, n, days, hosts, base, now) for n, days in enumerate(_event_days(count))
    ]
    db.session.add_all(events)
    db.session.flush()
    rows, past = [], []
    for event in events:
        seats, came = _seats(rng, event, members, engagement, base, now)
        rows += seats
        if event.ends_at < now:
            past.append((event, came))
    db.session.execute(sa.insert(Registration), rows)
    history.events, history.registrations = len(events), len(rows)
    return past


def _new_event(rng, n: int, days: int, hosts: list[User], base: int, now) -> Event:
    title, fmt, city, venue, address = data.EVENTS[n % len(data.EVENTS)]
    start = (now + timedelta(days=days)).replace(hour=16, minute=0, second=0, microsecond=0)
    return Event(
        title=title if n < len(data.EVENTS) else f"{title} #{n // len(data.EVENTS) + 1}",
        description=data.EVENT_DESCRIPTION,
        description_html=markdown_to_html(data.EVENT_DESCRIPTION),
        format=fmt,
        starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30),
        timezone=KYIV,
        city=city,
        venue=venue,
        address=address,
        online_url="https://meet.jit.si/spilno-demo" if fmt != EventFormat.OFFLINE else "",
        capacity=rng.choice([None, round(base * 0.6), base, round(base * 1.4)]),
        requires_approval=days == UPCOMING_DAYS[-1],
        status=EventStatus.PUBLISHED,
        hosts=rng.sample(hosts, k=min(2, len(hosts))),
        created_at=start - timedelta(days=30),
    )


def _seats(rng, event: Event, members, engagement, base: int, now) -> tuple[list[dict], list]:
    """An event's registrations as rows to insert, and the people who came (checked in)."""
    opens = event.starts_at - timedelta(days=20)
    eligible = [p for p in members if p.created_at < opens]
    seats = event.capacity or base
    wanted = min(len(eligible), int(seats * rng.uniform(0.7, 1.25)))
    crowd = _weighted_sample(rng, eligible, engagement, wanted)
    rows, came = [], []
    for position, user in enumerate(crowd):
        if event.requires_approval:
            confirmed = position % 3 == 0
            status = RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.PENDING
        else:
            confirmed = position < seats
            status = RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITLISTED
        checked_in = None
        if event.ends_at < now and confirmed and rng.random() < 0.78:
            checked_in = event.starts_at + timedelta(minutes=rng.randint(-10, 40))
            came.append(user)
        rows.append(
            {
                "event_id": event.id,
                "user_id": user.id,
                "status": status,
                "created_at": opens + timedelta(minutes=position * 7),
                "checked_in_at": checked_in,
            }
        )
    return rows, came


def _as_of(persons: dict[int, Person], users: list[User], when) -> dict[int, Person]:
    """These members as the pairing engine saw them at `when`: only who was new changes."""
    new_since = when - timedelta(days=NEWCOMER_DAYS)
    return {u.id: replace(persons[u.id], newcomer=u.created_at > new_since) for u in users}


def _seed_live_rounds(rng: random.Random, event: Event, people: dict[int, Person]) -> int:
    """One or two speed-networking rounds among those who came, most of them answered."""
    if len(people) < 4:
        return 0
    held, met = 0, []
    for number in range(1, rng.choice((1, 2)) + 1):
        when = event.starts_at + timedelta(minutes=20 + 10 * number)
        round_ = Round(
            kind=RoundKind.LIVE,
            event_id=event.id,
            number=number,
            status=RoundStatus.CLOSED,
            starts_at=when,
        )
        db.session.add(round_)
        groups = match(list(people.values()), met=met, seed=event.id * 10 + number).groups
        created = meetings.add_meetings(
            round_, groups, people, tables=event.is_in_person, online=not event.is_in_person
        )
        _answer_meetings(rng, created, when + timedelta(minutes=10), answer_rate=0.65)
        met += [(g[0], g[1], 1) for g in groups if len(g) >= 2]
        held += len(created)
    return held


def _answer_meetings(rng: random.Random, created, when, *, answer_rate: float) -> None:
    for meeting in created:
        for member in meeting.members:
            if rng.random() < answer_rate:
                member.met = rng.choices(list(MetAnswer), weights=[8, 1, 1])[0]
                member.rating = rng.choices([2, 3, 4, 5], weights=[1, 2, 5, 5])[0]
                member.rating = member.rating if member.met == MetAnswer.YES else None
                member.wants_contact = member.met == MetAnswer.YES and rng.random() < 0.55
                member.responded_at = when


def _seed_coffee(rng: random.Random, people: list[User], persons, engagement, now) -> int:
    """About one member in eight in random coffee, a round a month for a year (no emails)."""
    keen = {p.id for p in people[:3]}
    subscribers = [
        p for p in people if p.id in keen or rng.random() < 0.12 * (engagement[p.id] ** 0.5)
    ]
    for user in subscribers:
        db.session.add(
            CoffeeSubscription(
                user_id=user.id,
                frequency=rng.choice(["weekly", "weekly", "biweekly", "monthly"]),
                format=rng.choice(list(CoffeeFormat)),
                last_round_at=now - timedelta(days=7),
            )
        )
    history: list[tuple[int, int, int]] = []
    held = 0
    for number, days_ago in enumerate([30 * k + 7 for k in range(COFFEE_MONTHS - 1, -1, -1)], 1):
        when = now - timedelta(days=days_ago)
        joined = [u for u in subscribers if u.created_at < when and rng.random() < 0.8]
        if len(joined) < 2:
            continue
        round_ = Round(
            kind=RoundKind.COFFEE, number=number, status=RoundStatus.CLOSED, starts_at=when
        )
        db.session.add(round_)
        people_now = _as_of(persons, joined, when)
        matching = match(list(people_now.values()), met=history, seed=number)
        created = meetings.add_meetings(
            round_, matching.groups, people_now, tables=False, online=True
        )
        _answer_meetings(rng, created, when + timedelta(days=5), answer_rate=0.7)
        history = [(a, b, weeks + 4) for a, b, weeks in history] + [
            (g[0], g[1], 1) for g in matching.groups if len(g) >= 2
        ]
        round_.stats = {
            "opted_in": len(joined),
            "matched": sum(len(m.members) for m in created),
            "meetings": len(created),
            "cross_sector": sum(
                len({people_now[m.user_id].sector for m in meeting.members}) > 1
                for meeting in created
            ),
            "repeats": 0,
        }
        held += len(created)
    db.session.flush()
    return held


def _answer(rng: random.Random, question, mood: float) -> dict | None:
    """One person's answer to a question, lifted or lowered by the evening's mood; a text
    question is left blank more often than not (None)."""
    answer = {"option": -1, "number": None, "text": None}
    if question.kind == QuestionKind.RATING:
        answer["number"] = min(5, max(1, round(rng.gauss(4.2 + mood / 3, 0.7))))
    elif question.kind == QuestionKind.NPS:
        answer["number"] = min(10, max(0, round(rng.gauss(8 + mood, 1.8))))
    elif question.kind == QuestionKind.SINGLE:
        answer["option"] = rng.choices([0, 1, 2], weights=[8, 3, 1])[0]
    elif rng.random() < 0.4:
        answer["text"] = rng.choice(FEEDBACK_TEXTS)
    else:
        return None
    return answer


def _seed_survey(rng: random.Random, host: User, event: Event, came: list[User]) -> int:
    """The after-the-event survey, answered by about half of those who came. Each evening
    has its own mood, so the feedback chart moves from event to event."""
    survey = surveys.building.create_survey(
        host,
        event=event,
        title=f"Відгук: {event.title}",
        anonymous=False,
        audience=Audience.CHECKED_IN,
        opens_at=event.ends_at,
        closes_at=None,
        with_template=True,
    )
    # Invited and reminded long ago: the worker's first run must not mail the demo people.
    survey.scheduled, survey.invited_at = True, event.ends_at + timedelta(minutes=5)
    survey.reminded_at = survey.invited_at + surveys.invitations.REMIND_AFTER
    mood = rng.uniform(-1.5, 1.5)
    respondents, responses, answers = [], [], []
    for user in came:
        answered = rng.random() < 0.5
        at = event.ends_at + timedelta(hours=rng.randint(1, 72)) if answered else None
        respondents.append(
            {
                "survey_id": survey.id,
                "user_id": user.id,
                "invited": True,
                "answered": answered,
                "answered_at": at,
            }
        )
        if not answered:
            continue
        response_id = new_response_id()
        responses.append(
            {
                "id": response_id,
                "survey_id": survey.id,
                "user_id": user.id,
                "submitted_on": at.date(),
                "may_quote": rng.random() < 0.5,
            }
        )
        for question in survey.questions:
            answer = _answer(rng, question, mood)
            if answer is not None:
                answers.append({"response_id": response_id, "question_id": question.id, **answer})
    for model, batch in ((Respondent, respondents), (Response, responses), (Answer, answers)):
        if batch:
            db.session.execute(sa.insert(model), batch)
    return len(responses)
