"""The demo community's introductions: a few agreed and met, some waiting, one declined, and
members' requests in the team's queue, so every introduction page has something to show.

Rows are written directly, without the mails a real introduction sends: the worker's first run
must not write to the demo people."""

import random
from datetime import timedelta

from app.extensions import db
from app.models import (
    Introduction,
    IntroductionAnswer,
    IntroductionStatus,
    Meeting,
    MeetingMember,
    Role,
    Round,
    RoundKind,
    RoundStatus,
    User,
)

REASONS = [
    "Обоє працюють з освітою для ветеранів — варто обмінятися досвідом.",
    "Одна шукає партнерів для грантового проєкту, інший має досвід у фандрейзингу.",
    "Обоє запускають волонтерські ініціативи в Києві.",
    "Шукає ментора з маркетингу, а тут маркетинг — щоденна робота.",
    "Спільний інтерес до відбудови громад, але різні сектори.",
]
YES, WAITING, NOT_NOW = (
    IntroductionAnswer.YES,
    IntroductionAnswer.WAITING,
    IntroductionAnswer.NOT_NOW,
)


def seed_introductions(rng: random.Random, people: list[User], now) -> int:
    team = next(p for p in people if p.role == Role.ADMIN)
    members = [p for p in people if p.role == Role.MEMBER]
    demo_member = members[0]
    others = rng.sample(members[1:], 22)
    plans = [  # (first, second, status, first's answer, second's answer, days ago)
        *[(others[2 * i], others[2 * i + 1], IntroductionStatus.ACCEPTED, YES, YES, 12 + 9 * i)
          for i in range(5)],
        (others[10], others[11], IntroductionStatus.PROPOSED, YES, WAITING, 9),
        (others[12], others[13], IntroductionStatus.PROPOSED, WAITING, WAITING, 2),
        (others[14], others[15], IntroductionStatus.DECLINED, YES, NOT_NOW, 20),
        (others[16], demo_member, IntroductionStatus.PROPOSED, YES, WAITING, 1),
    ]  # fmt: skip
    count = 0
    for first, second, status, first_answer, second_answer, days in plans:
        sent = now - timedelta(days=days)
        introduction = Introduction(
            first_id=first.id, second_id=second.id, introduced_by_id=team.id,
            reason=rng.choice(REASONS), status=status, first_answer=first_answer,
            second_answer=second_answer, created_at=sent, sent_at=sent,
        )  # fmt: skip
        db.session.add(introduction)
        db.session.flush()
        if status == IntroductionStatus.ACCEPTED:
            _meeting(rng, introduction, sent + timedelta(days=1))
        count += 1
    for asker, wanted in ((others[18], others[19]), (demo_member, others[20])):
        db.session.add(
            Introduction(
                first_id=asker.id, second_id=wanted.id, requested=True,
                reason="Хочу поговорити про спільний проєкт для громади.",
                status=IntroductionStatus.REQUESTED, created_at=now - timedelta(days=3),
            )
        )  # fmt: skip
        count += 1
    return count


def _meeting(rng: random.Random, introduction: Introduction, accepted) -> None:
    introduction.accepted_at = accepted
    round_ = Round(
        kind=RoundKind.INTRODUCTION, number=introduction.id, status=RoundStatus.PUBLISHED,
        starts_at=accepted,
    )  # fmt: skip
    met = "yes" if rng.random() < 0.7 else None
    meeting = Meeting(round=round_, reasons=["different_sectors"])
    meeting.members = [
        MeetingMember(user_id=uid, round=round_, wants_contact=True, met=met,
                      rating=rng.choice([4, 5]) if met else None)
        for uid in (introduction.first_id, introduction.second_id)
    ]  # fmt: skip
    db.session.add(meeting)
    db.session.flush()
    introduction.meeting_id = meeting.id
