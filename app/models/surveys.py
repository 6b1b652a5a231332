"""Feedback surveys: questions, responses, and who has answered (kept apart for anonymity)."""

import enum
import secrets
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import UTCDateTime, utcnow


class QuestionKind(enum.StrEnum):
    RATING = "rating"  # 1–5
    NPS = "nps"  # 0–10
    SINGLE = "single"
    MULTIPLE = "multiple"
    TEXT = "text"


class Audience(enum.StrEnum):
    CHECKED_IN = "checked_in"
    CONFIRMED = "confirmed"
    MEMBERS = "members"


def new_response_id() -> str:
    # Random, not a sequence: the order of ids must not tell who answered when.
    return secrets.token_hex(16)


class Survey(db.Model):
    __tablename__ = "surveys"
    __table_args__ = (
        sa.CheckConstraint("audience IN ('checked_in', 'confirmed', 'members')", name="audience"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("events.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    intro: Mapped[str] = mapped_column(sa.Text, default="")
    anonymous: Mapped[bool] = mapped_column(default=False)
    audience: Mapped[str] = mapped_column(sa.String(12), default=Audience.CHECKED_IN)
    # Ready to go out: the worker invites the audience once opens_at has come.
    scheduled: Mapped[bool] = mapped_column(default=False)
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    questions: Mapped[list["Question"]] = relationship(
        back_populates="survey",
        cascade="all, delete-orphan",
        order_by="Question.position, Question.id",
    )

    def is_open(self, now: datetime) -> bool:
        return (
            self.scheduled
            and self.opens_at is not None
            and self.opens_at <= now
            and (self.closes_at is None or now < self.closes_at)
        )


class Question(db.Model):
    __tablename__ = "questions"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('rating', 'nps', 'single', 'multiple', 'text')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(10))
    text: Mapped[str] = mapped_column(sa.String(500))
    options: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    survey: Mapped[Survey] = relationship(back_populates="questions")


class Response(db.Model):
    """One person's answers. No user and no time for an anonymous survey."""

    __tablename__ = "responses"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=new_response_id)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # The day only, and only for named surveys: an exact time would order anonymous answers.
    submitted_on: Mapped[date | None] = mapped_column(sa.Date)
    # A named respondent agreed that their written answers may be quoted, without their name,
    # in the community's reports. Anonymous answers carry no name to protect.
    may_quote: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


class Answer(db.Model):
    """One value: a rating, a score, a chosen option (one row per option ticked) or a text."""

    __tablename__ = "answers"

    response_id: Mapped[str] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    option: Mapped[int] = mapped_column(primary_key=True, default=-1)  # -1: not a choice
    number: Mapped[int | None] = mapped_column()
    text: Mapped[str | None] = mapped_column(sa.Text)


class Respondent(db.Model):
    """Who has answered: one per person, by the database; no link to what they answered."""

    __tablename__ = "respondents"

    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("surveys.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    invited: Mapped[bool] = mapped_column(default=False)
    answered: Mapped[bool] = mapped_column(default=False)
    # When they answered, for "active in the period". Responses keep no time for anonymous
    # surveys, so this cannot be matched to an answer.
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
