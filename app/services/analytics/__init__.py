"""What the community manager reads on the dashboard: every figure an SQL aggregate over a
period, so the number of queries stays the same however large the community grows.

Definitions (the dashboard prints them too):
- active: registered, was checked in, was in a meeting they did not decline, or answered a
  survey, in the period; the share is of the members who had joined by its end;
- attendance: checked in ÷ confirmed, over events that have ended and used check-in
  (an online event nobody checked in to would read as all no-shows);
- a meeting was met when someone in it said so, out of meetings where someone answered;
- cross-sector: a meeting of people from two or more sectors, out of meetings where at least
  two people have a sector;
- introductions: sent to both people in the period; accepted when both said yes, met when
  someone said so; cross-sector when the two have different known sectors;
- newcomers: members who joined in the period, and of them those who were checked in at an
  event or had a meeting within 30 days of joining.
Weeks and months are counted in UTC.
"""

from dataclasses import dataclass
from datetime import datetime

from app.services.analytics.events import (
    EventFigures,
    FeedbackFigures,
    event_figures,
    feedback_figures,
)
from app.services.analytics.meetings import Heatmap, MeetingFigures, meeting_figures, sector_pairs
from app.services.analytics.members import (
    MemberFigures,
    NewcomerFigures,
    member_figures,
    newcomer_figures,
)
from app.services.analytics.period import Period, period_between
from app.services.introductions import IntroductionFigures
from app.services.introductions import figures as introduction_figures

__all__ = [
    "Dashboard",
    "EventFigures",
    "FeedbackFigures",
    "Heatmap",
    "MeetingFigures",
    "MemberFigures",
    "NewcomerFigures",
    "Period",
    "dashboard",
    "event_figures",
    "feedback_figures",
    "meeting_figures",
    "member_figures",
    "newcomer_figures",
    "period_between",
    "sector_pairs",
]


@dataclass
class Dashboard:
    period: Period
    members: MemberFigures
    events: EventFigures
    meetings: MeetingFigures
    newcomers: NewcomerFigures
    feedback: FeedbackFigures
    introductions: IntroductionFigures


def dashboard(period: Period, now: datetime) -> Dashboard:
    return Dashboard(
        period=period,
        members=member_figures(period),
        events=event_figures(period, now),
        meetings=meeting_figures(period),
        newcomers=newcomer_figures(period),
        feedback=feedback_figures(period),
        introductions=introduction_figures(period),
    )
