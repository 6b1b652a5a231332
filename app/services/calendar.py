"""iCalendar files: one event (attached to emails, or public) and a member's private feed."""

from datetime import datetime, timedelta

from flask import current_app
from icalendar import Alarm, Calendar, vCalAddress, vText
from icalendar import Event as VEvent

from app.models import Event, EventStatus
from app.models.types import utcnow
from app.services import community
from app.services.links import external_url
from app.services.text import plain_text

PRODID = "-//Spilno//Spilno events//UK"


def _calendar(method: str | None, name: str) -> Calendar:
    """PRODID names the software (Spilno); the calendar's name is the community's."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def _organizer(community_name: str) -> vCalAddress:
    # An address that receives replies: calendar clients answer invitations to it.
    sender = current_app.config["CALENDAR_ORGANIZER"]
    name, _, address = sender.rpartition("<")
    organizer = vCalAddress(f"mailto:{address.rstrip('>') or sender}")
    organizer.params["cn"] = vText(name.strip() or community_name)
    return organizer


def location_of(event: Event, *, private: bool) -> str:
    """Where, in one line; the online link only for those allowed to see it."""
    parts = [event.venue, event.address, event.city] if event.is_in_person else []
    if event.is_online and private and event.online_url:
        parts.append(event.online_url)
    return ", ".join(part for part in parts if part)


def _vevent(
    event: Event,
    *,
    private: bool,
    attendee_email: str | None,
    now: datetime,
    organizer: vCalAddress,
    cancelled: bool = False,
) -> VEvent:
    """`cancelled`: the event is off for this calendar (the event, or the member's seat)."""
    cancelled = cancelled or event.status == EventStatus.CANCELLED
    page = external_url("events.event_page", event_id=event.id)
    vevent = VEvent()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", now)
    vevent.add("dtstart", event.local_starts_at)
    vevent.add("dtend", event.local_ends_at)
    vevent.add("summary", event.title)
    vevent.add("description", f"{plain_text(event.description)}\n\n{page}".strip())
    location = location_of(event, private=private)
    if location:
        vevent.add("location", location)
    vevent.add("url", page)
    vevent.add("sequence", event.sequence)
    vevent.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    vevent.add("organizer", organizer)
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("ACCEPTED")
        vevent.add("attendee", attendee)
    if not cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", event.title)
        alarm.add("trigger", timedelta(hours=-1))
        vevent.add_component(alarm)
    return vevent


def _finish(calendar: Calendar, events: list[Event]) -> str:
    if events:
        # A VTIMEZONE covering the events' years, not the whole of history.
        first = min(e.starts_at for e in events).date() - timedelta(days=366)
        last = max(e.ends_at for e in events).date() + timedelta(days=366)
        calendar.add_missing_timezones(first_date=first, last_date=last)
    return calendar.to_ical().decode()


def event_ics(
    event: Event,
    *,
    method: str | None = None,
    private: bool = False,
    attendee_email: str | None = None,
) -> str:
    """One event. `method` REQUEST or CANCEL for emails (iTIP), none for a download.

    A CANCEL takes the entry out of the attendee's calendar (RFC 5546 §3.2.5): STATUS is
    CANCELLED and there is no alarm; whoever cancels raises the event's SEQUENCE first."""
    community_name = community.load().name_uk
    calendar = _calendar(method, community_name)
    calendar.add_component(
        _vevent(
            event,
            private=private,
            attendee_email=attendee_email,
            now=utcnow(),
            organizer=_organizer(community_name),
            cancelled=method == "CANCEL",
        )
    )
    return _finish(calendar, [event])


def feed_ics(events: list[Event], *, name: str) -> str:
    """A member's subscribed calendar: their confirmed events, online links included."""
    now = utcnow()
    calendar = _calendar(None, name)
    organizer = _organizer(community.load().name_uk)  # read once, not once per event
    for event in events:
        calendar.add_component(
            _vevent(event, private=True, attendee_email=None, now=now, organizer=organizer)
        )
    return _finish(calendar, events)


def google_calendar_url(event: Event) -> str:
    from urllib.parse import urlencode

    stamp = "%Y%m%dT%H%M%SZ"
    query = {
        "action": "TEMPLATE",
        "text": event.title,
        "dates": f"{event.starts_at.strftime(stamp)}/{event.ends_at.strftime(stamp)}",
        "details": external_url("events.event_page", event_id=event.id),
        "location": location_of(event, private=False),
        "ctz": event.timezone,
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def webcal_url(event: Event) -> str:
    url = external_url("events.event_ics", event_id=event.id)
    return "webcal://" + url.split("://", 1)[1]
