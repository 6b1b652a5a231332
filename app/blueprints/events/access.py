"""Who may see and manage an event: one place for the whole area."""

from flask import abort
from flask_login import current_user

from app.models import Event, EventStatus
from app.security import require_login
from app.services import events


def _visible(event: Event | None) -> Event:
    """Published and cancelled events are public; a draft only for its hosts."""
    if event is None:
        abort(404)
    if event.status == EventStatus.DRAFT and not event.is_hosted_by(current_user):
        abort(404)
    return event


def visible_event(event_id: int) -> Event:
    return _visible(events.event_with_hosts(event_id))


def visible_event_page(event_id: int) -> events.EventPage:
    viewer = current_user.id if current_user.is_authenticated else None
    page = events.event_page(event_id, viewer)
    _visible(page.event if page else None)
    return page


def managed_event(event_id: int) -> Event:
    """For the event's hosts and admins; others are refused (guests are asked to log in)."""
    event = events.event_with_hosts(event_id)
    if event is None:
        abort(404)
    require_login()
    if not event.is_hosted_by(current_user):
        abort(403)
    return event
