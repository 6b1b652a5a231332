"""What live rounds and coffee rounds share: people as the engine sees them, history,
blocks, turning a matching into meetings, feedback and consented contacts."""

import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from itertools import combinations

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import (
    Block,
    Meeting,
    MeetingMember,
    MetAnswer,
    Round,
    RoundStatus,
    Sector,
    Tag,
    User,
)
from app.models.accounts import NEWCOMER_DAYS, user_asks, user_interests, user_offers
from app.models.types import utcnow
from app.pairing import Person, explain
from app.services.links import external_url, read_signed, signed
from app.services.mail import queue_email

HISTORY_WEEKS = 26
TAG_TABLES = {"interests": user_interests, "offers": user_offers, "asks": user_asks}
FEEDBACK_SALT = "coffee-feedback"  # the name predates introductions; links out there carry it
FIRST_QUESTIONS = [
    "first_question_project",
    "first_question_help",
    "first_question_surprise",
    "first_question_learning",
]
REASON_PRIORITY = [
    "different_sectors",
    "b_can_help_a",
    "a_can_help_b",
    "shared_interests",
    "newcomer",
    "shared_language",
    "fresh_pair",
]


def users_with_profiles(user_ids) -> list[User]:
    query = (
        sa.select(User)
        .where(User.id.in_(list(user_ids)), User.deleted_at.is_(None))
        .options(
            selectinload(User.sector),
            selectinload(User.interests),
            selectinload(User.offers),
            selectinload(User.asks),
        )
        .order_by(User.id)
    )
    return list(db.session.scalars(query))


def person_of(user: User, now: datetime) -> Person:
    return Person(
        id=user.id,
        sector=user.sector.name_en if user.sector else None,
        interests=frozenset(t.name for t in user.interests),
        offers=frozenset(t.name for t in user.offers),
        asks=frozenset(t.name for t in user.asks),
        languages=frozenset(user.languages or ()),
        city=user.city or None,
        newcomer=user.created_at > now - timedelta(days=NEWCOMER_DAYS),
    )


def people_of(user_ids, now: datetime) -> dict[int, Person]:
    """The pairing engine's view of these members, by id, from four queries of plain rows:
    no ORM objects, so "who should she meet?" can score a whole community. `user_ids` is a
    collection of ids or a SELECT of them."""
    ids = user_ids if isinstance(user_ids, sa.Select) else list(user_ids)
    tags: dict[str, dict[int, set[str]]] = {kind: defaultdict(set) for kind in TAG_TABLES}
    for kind, table in TAG_TABLES.items():
        rows = db.session.execute(
            sa.select(table.c.user_id, Tag.name)
            .join(Tag, Tag.id == table.c.tag_id)
            .where(table.c.user_id.in_(ids))
        )
        for user_id, name in rows:
            tags[kind][user_id].add(name)
    members = db.session.execute(
        sa.select(User.id, Sector.name_en, User.city, User.languages, User.created_at)
        .outerjoin(Sector, Sector.id == User.sector_id)
        .where(User.id.in_(ids), User.deleted_at.is_(None))
    )
    return {
        user_id: Person(
            id=user_id,
            sector=sector,
            interests=frozenset(tags["interests"][user_id]),
            offers=frozenset(tags["offers"][user_id]),
            asks=frozenset(tags["asks"][user_id]),
            languages=frozenset(languages or ()),
            city=city or None,
            newcomer=created_at > now - timedelta(days=NEWCOMER_DAYS),
        )
        for user_id, sector, city, languages, created_at in members
    }


def past_meetings(user_ids, *, now: datetime, exclude_round_ids=()) -> list[tuple[int, int, int]]:
    """Who met whom in the last 26 weeks, as (a, b, weeks ago) with 1 = this past week."""
    ids = list(user_ids)
    since = now - timedelta(weeks=HISTORY_WEEKS)
    first, second = sa.orm.aliased(MeetingMember), sa.orm.aliased(MeetingMember)
    query = (
        sa.select(first.user_id, second.user_id, sa.func.max(Round.starts_at))
        .join(
            second, sa.and_(second.meeting_id == first.meeting_id, second.user_id > first.user_id)
        )
        .join(Round, Round.id == first.round_id)
        .where(
            first.user_id.in_(ids),
            second.user_id.in_(ids),
            Round.starts_at >= since,
            Round.status != RoundStatus.DRAFT,
            Round.id.not_in(list(exclude_round_ids) or [-1]),
        )
        .group_by(first.user_id, second.user_id)
    )
    return [(a, b, max(1, (now - when).days // 7 + 1)) for a, b, when in db.session.execute(query)]


def blocked_pairs(user_ids) -> list[tuple[int, int]]:
    ids = list(user_ids)
    query = sa.select(Block.blocker_id, Block.blocked_id).where(
        Block.blocker_id.in_(ids), Block.blocked_id.in_(ids)
    )
    return [tuple(row) for row in db.session.execute(query)]


def reasons_for(group: tuple[int, ...], people: dict[int, Person]) -> list[str]:
    found: set[str] = set()
    for a, b in combinations(group, 2):
        found.update(explain(people[a], people[b]))
    ordered = [r for r in REASON_PRIORITY if r in found]
    return [r for r in ordered if r != "fresh_pair"] or ["fresh_pair"]


def video_room_url(round_: Round) -> str:
    """A room of its own per meeting; the random part keeps strangers from guessing it."""
    room = f"{round_.kind}-{secrets.token_hex(6)}"
    return current_app.config["VIDEO_ROOM_URL"].format(room=room)


def add_meetings(
    round_: Round,
    groups: Iterable[tuple[int, ...]],
    people: dict[int, Person],
    *,
    tables: bool,
    online: bool,
    start_table: int = 1,
) -> list[Meeting]:
    meetings = []
    for group in groups:
        if len(group) < 2:
            continue  # nobody they may meet; they are told on their page
        meeting = Meeting(
            round=round_,
            table_number=start_table + len(meetings) if tables else None,
            video_url=video_room_url(round_) if online else "",
            reasons=reasons_for(group, people),
        )
        meeting.members = [MeetingMember(user_id=uid, round=round_) for uid in group]
        db.session.add(meeting)
        meetings.append(meeting)
    return meetings


# A member's meetings with the people in them, as the pages show them: one query per level.
WITH_PARTNERS = (
    selectinload(MeetingMember.round),
    selectinload(MeetingMember.meeting)
    .selectinload(Meeting.members)
    .selectinload(MeetingMember.user)
    .options(selectinload(User.sector), selectinload(User.offers)),
)


MET_ANSWERS = tuple(MetAnswer)


def record_feedback(
    member: MeetingMember,
    *,
    met: str | None = None,
    rating: int | None = None,
    wants_contact: bool | None = None,
    comment: str | None = None,
) -> None:
    if met is not None:
        member.met = met
    if rating is not None:
        member.rating = rating
    if wants_contact is not None:
        member.wants_contact = wants_contact
    if comment is not None:
        member.comment = comment.strip()[:2000]
    member.responded_at = utcnow()


def first_question(meeting: Meeting) -> str:
    """A question to start the conversation with (its id in `app.i18n.FIRST_QUESTIONS`)."""
    return FIRST_QUESTIONS[meeting.id % len(FIRST_QUESTIONS)]


def feedback_token(meeting_id: int, user_id: int) -> str:
    return signed(FEEDBACK_SALT, meeting=meeting_id, user=user_id)


def feedback_link(meeting_id: int, user_id: int, answer: str | None = None) -> str:
    """The meeting page, signed for one member; with `answer`, that answer is chosen
    on the page, to be confirmed with a button (mail scanners follow every link)."""
    return external_url(
        "meetings.feedback",
        meeting_id=meeting_id,
        token=feedback_token(meeting_id, user_id),
        met=answer,
    )


def member_for_token(meeting_id: int, token: str) -> MeetingMember | None:
    data = read_signed(FEEDBACK_SALT, token)
    if data is None or data.get("meeting") != meeting_id or not isinstance(data.get("user"), int):
        return None
    return db.session.get(MeetingMember, (meeting_id, data["user"]))


def ask_whether_met(meeting: Meeting, /, *, category, send_after, dedupe_key, **context):
    """ "Did you meet?" to one member of a meeting (`context["user"]`), sent at `send_after`:
    a signed link per answer, each opening the meeting page with that answer chosen. The rest
    of `context` fills the mail (`partners`, `meeting_link`)."""
    user = context["user"]
    links = {answer: feedback_link(meeting.id, user.id, answer) for answer in MetAnswer}
    context["meeting"] = meeting
    queue_email(
        user.email,
        "coffee_followup",
        locale=user.locale,
        category=category,
        recipient_id=user.id,
        send_after=send_after,
        dedupe_key=dedupe_key,
        links=links,
        **context,
    )


def visible_contacts(meeting: Meeting, viewer_id: int) -> set[int]:
    """Whose contacts the viewer may see: partners where both said "stay in touch"."""
    mine = next((m for m in meeting.members if m.user_id == viewer_id), None)
    if mine is None or not mine.wants_contact:
        return set()
    return {m.user_id for m in meeting.members if m.user_id != viewer_id and m.wants_contact}


def connections_of(user_id: int) -> list[tuple[User, Meeting]]:
    """Everyone the member agreed to stay in touch with, and who agreed too."""
    me, them = sa.orm.aliased(MeetingMember), sa.orm.aliased(MeetingMember)
    query = (
        sa.select(User, Meeting)
        .join(them, them.user_id == User.id)
        .join(me, sa.and_(me.meeting_id == them.meeting_id, me.user_id == user_id))
        .join(Meeting, Meeting.id == me.meeting_id)
        .where(
            them.user_id != user_id,
            me.wants_contact.is_(True),
            them.wants_contact.is_(True),
            User.deleted_at.is_(None),
        )
        .options(selectinload(Meeting.round))
        .order_by(Meeting.id.desc())
    )
    seen, found = set(), []
    for user, meeting in db.session.execute(query):
        if user.id not in seen:
            seen.add(user.id)
            found.append((user, meeting))
    return found


def block(blocker: User, blocked_id: int) -> None:
    if blocked_id == blocker.id or db.session.get(Block, (blocker.id, blocked_id)):
        return
    db.session.add(Block(blocker_id=blocker.id, blocked_id=blocked_id))


def unblock(blocker: User, blocked_id: int) -> None:
    found = db.session.get(Block, (blocker.id, blocked_id))
    if found is not None:
        db.session.delete(found)


def has_blocked(blocker_id: int, blocked_id: int) -> bool:
    return db.session.get(Block, (blocker_id, blocked_id)) is not None
