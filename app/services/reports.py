"""The impact report for partners and funders: the dashboard's own figures for a period, the
movement of engagement levels, NPS against the period before, and quotes the admin chose.

Every figure comes from the same functions as the dashboard (`analytics.dashboard`), so the
report and the dashboard cannot disagree about a period. Quotes come only from written
survey answers that may be quoted: anonymous ones, or named ones whose author agreed; they are
printed without a name.
"""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from app.extensions import db
from app.models import Answer, Event, Question, QuestionKind, Response, Survey
from app.services import analytics, levels
from app.services.analytics import Dashboard, Period
from app.services.spreadsheets import csv_text

QUOTE_CHOICES = 60
QUOTES_SHOWN = 6


@dataclass(frozen=True)
class Quote:
    key: str  # "<response id>-<question id>": what the admin's choice refers to
    text: str
    survey: str


@dataclass
class ImpactReport:
    figures: Dashboard
    movement: levels.Movement
    previous_nps: int | None
    quotes: list[Quote]

    @property
    def period(self) -> Period:
        return self.figures.period

    @property
    def nps_change(self) -> int | None:
        nps = self.figures.feedback.nps
        return None if nps is None or self.previous_nps is None else nps - self.previous_nps


def quotable(period: Period, limit: int = QUOTE_CHOICES) -> list[Quote]:
    """Written answers from the period's surveys (by the event's day, or a community-wide
    survey's opening) that may be quoted, longest first: the admin picks from these."""
    moment = sa.func.coalesce(Event.starts_at, Survey.opens_at, Survey.created_at)
    rows = db.session.execute(
        sa.select(Answer.response_id, Answer.question_id, Answer.text, Survey.title)
        .join(Question, Question.id == Answer.question_id)
        .join(Response, Response.id == Answer.response_id)
        .join(Survey, Survey.id == Response.survey_id)
        .outerjoin(Event, Event.id == Survey.event_id)
        .where(
            Question.kind == QuestionKind.TEXT,
            sa.func.length(sa.func.trim(Answer.text)) >= 20,
            sa.or_(Response.user_id.is_(None), Response.may_quote.is_(True)),
            period.contains(moment),
        )
        .order_by(sa.func.length(Answer.text).desc(), Answer.response_id)
        .limit(limit)
    )
    quotes, seen = [], set()
    for response_id, question_id, text, title in rows:
        if text.strip() not in seen:  # the same words from two people are offered once
            seen.add(text.strip())
            quotes.append(Quote(f"{response_id}-{question_id}", text.strip(), title))
    return quotes


def impact_report(period: Period, now: datetime, chosen: list[str] = ()) -> ImpactReport:
    """The report for a period; `chosen` are quote keys, kept only when they may be quoted."""
    candidates = {quote.key: quote for quote in quotable(period)}
    quotes = [candidates[key] for key in dict.fromkeys(chosen) if key in candidates]
    return ImpactReport(
        figures=analytics.dashboard(period, now),
        movement=levels.movement(min(period.last_moment, now)),
        previous_nps=analytics.feedback_figures(period.previous).nps,
        quotes=quotes[:QUOTES_SHOWN],
    )


def _percent(share: float | None) -> str:
    return "" if share is None else f"{share * 100:.1f}%"


def figures_table(report: ImpactReport) -> list[tuple[str, object]]:
    """Every figure of the report as (what, value), in the order the report reads."""
    f = report.figures
    m, e, g, i = f.members, f.events, f.meetings, f.introductions
    levels_now = report.movement.counts
    ratio = report.movement.newcomers_per_core
    return [
        (_("Members"), m.total),
        (_("New members in the period"), m.joined),
        (_("Active members"), m.active),
        (_("Active share"), _percent(m.active_share)),
        (_("Core members"), levels_now.get("core", 0)),
        (_("Active (level)"), levels_now.get("active", 0)),
        (_("Newcomers"), levels_now.get("newcomer", 0)),
        (_("Drifting away"), levels_now.get("drifting", 0)),
        (_("Moved up this month"), report.movement.moved_up),
        (_("Started drifting this month"), report.movement.started_drifting),
        (_("Newcomers per core member"), "" if ratio is None else f"{ratio:.1f}"),
        (_("Events"), e.count),
        (_("Attendance"), _percent(e.attendance_rate)),
        (_("People who came"), e.attendees),
        (_("Meetings held"), g.held),
        (_("Meetings that happened"), _percent(g.met_rate)),
        (_("Meetings across sectors"), _percent(g.cross_sector_share)),
        (_("Introductions made"), i.made),
        (_("Introductions both accepted"), i.accepted),
        (_("Introductions that led to a meeting"), i.met),
        (_("Introductions across sectors"), _percent(i.cross_sector_share)),
        (_("NPS"), "" if f.feedback.nps is None else f.feedback.nps),
        (_("NPS in the period before"), "" if report.previous_nps is None else report.previous_nps),
    ]


def report_csv(report: ImpactReport) -> str:
    period = report.period
    rows = [[_("Figure"), _("Value")]]
    rows.append([_("Period"), f"{period.start:%Y-%m-%d} – {period.last_moment:%Y-%m-%d}"])
    rows += [[name, value] for name, value in figures_table(report)]
    return csv_text(rows)
