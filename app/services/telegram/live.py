"""Live-round news: when the hosts publish a round, each attendee with a linked chat gets their
partner, table and the reasons they were matched in Telegram, as their phone's live page
shows them. It goes through the outbox like everything else, so the worker's next pass (a
few seconds) delivers it; there is no email of it, a round lasts minutes."""

import sqlalchemy as sa
from flask import render_template
from flask_babel import force_locale
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Meeting, MeetingMember, Round, TelegramLink, User
from app.services import telegram
from app.services.links import external_url
from app.services.mail import add_once
from app.services.telegram.buttons import keep_buttons
from app.services.telegram.outbox import telegram_message


def round_published(round_: Round) -> int:
    """Queue each linked attendee's news of the round; how many were queued."""
    if not telegram.enabled() or round_.event_id is None:
        return 0
    meetings = db.session.scalars(
        sa.select(Meeting)
        .where(Meeting.round_id == round_.id)
        .options(
            selectinload(Meeting.members).selectinload(MeetingMember.user).selectinload(User.sector)
        )
    ).all()
    people = [member.user_id for meeting in meetings for member in meeting.members]
    chats = dict(
        db.session.execute(
            sa.select(TelegramLink.user_id, TelegramLink.chat_id).where(
                TelegramLink.user_id.in_(people), TelegramLink.broken_at.is_(None)
            )
        ).all()
    )
    live_url = external_url("rounds.live", event_id=round_.event_id)
    queued = 0
    for meeting in meetings:
        for member in meeting.members:
            chat = chats.get(member.user_id)
            if chat is None:
                continue
            user = member.user
            partners = [m.user for m in meeting.members if m.user_id != user.id]
            with force_locale(user.locale):
                text = render_template(
                    "telegram/live_round.html",
                    round=round_,
                    meeting=meeting,
                    partners=partners,
                    live_url=live_url,
                ).strip()
                buttons = keep_buttons(user.id, meeting.id)
            news = telegram_message(
                chat,
                f"Round {round_.number}",
                text,
                buttons=buttons,
                dedupe_key=f"live-round:{round_.id}:{user.id}",
            )
            queued += add_once(news) is not None
    return queued
