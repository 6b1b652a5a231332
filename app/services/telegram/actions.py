"""What a tap on one of the bot's buttons does (the buttons are app/services/telegram/buttons.py).

`handle_callback` does what the tap asks through the same services the web uses, so the web
shows the same state (the caller commits, as for any update), and returns the Bot API calls
that answer it: a short notice to the person and, for a message in their own chat, the
message edited to show the result and the buttons for the next step.
"""

from datetime import timedelta
from html import escape

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from app.extensions import db
from app.models import (
    CoffeeSubscription,
    Event,
    Introduction,
    IntroductionAnswer,
    MeetingMember,
    MetAnswer,
    RegistrationStatus,
    User,
)
from app.models.types import utcnow
from app.services import errors, introductions, meetings, registration
from app.services.links import external_url
from app.services.telegram import linking
from app.services.telegram.buttons import (
    NotValid,
    coffee_buttons,
    keep_buttons,
    met_buttons,
    rating_buttons,
    read,
    seat_buttons,
)

Call = tuple[str, dict]  # a Bot API method and its parameters
PAUSE = timedelta(days=14)
DONE = "\n\n✅ "  # where an edited message's result begins


def handle_callback(query: dict) -> list[Call]:
    """The Bot API calls that answer one `callback_query` update."""
    answer = {"callback_query_id": str(query.get("id", ""))}
    person, message = part_of(query, "from"), part_of(query, "message")
    sender = person.get("id")
    link = linking.link_of_chat(sender) if isinstance(sender, int) else None
    if link is None or link.broken_at is not None:
        with force_locale(language_of(person)):
            text = _("Connect Telegram on your profile on the community's site first.")
        return [("answerCallbackQuery", answer | {"text": text, "show_alert": True})]
    user = link.user
    with force_locale(user.locale):
        try:
            action, object_id, choice, for_everyone = read(query.get("data"), user.id, ACTIONS)
            result, buttons = ACTIONS[action](user, object_id, choice)
        except NotValid:
            return [("answerCallbackQuery", answer | {"text": _no_longer_valid()})]
        except errors.DomainError as error:
            db.session.rollback()
            return [("answerCallbackQuery", answer | {"text": str(error.message)[:200]})]
    calls = [("answerCallbackQuery", answer | {"text": result[:200]})]
    chat_id = part_of(message, "chat").get("id")
    if not for_everyone and isinstance(message.get("text"), str) and chat_id == link.chat_id:
        edit = {
            "chat_id": chat_id,
            "message_id": message.get("message_id"),
            "text": _with_result(message["text"], result),
            "parse_mode": "HTML",
            "reply_markup": buttons or {"inline_keyboard": []},
        }
        calls.append(("editMessageText", edit))
    return calls


def part_of(update: dict, name: str) -> dict:
    """An object inside an update, or {} when it is missing or not an object."""
    part = update.get(name)
    return part if isinstance(part, dict) else {}


def language_of(person) -> str:
    """The language Telegram says a person uses, if Spilno speaks it; Ukrainian otherwise."""
    code = person.get("language_code") if isinstance(person, dict) else None
    return code[:2] if isinstance(code, str) and code[:2] in ("uk", "en") else "uk"


def _no_longer_valid() -> str:
    return _("This button is no longer valid. Open the community's site to see where things are.")


def _with_result(text: str, result: str) -> str:
    """The message as it was (its first line, the subject, bold again), with the result
    below it in place of an earlier one."""
    text = text.split(DONE.strip("\n"), 1)[0].rstrip()
    subject, _newline, rest = text.partition("\n")
    return f"<b>{escape(subject)}</b>\n{escape(rest)}{DONE}{escape(result)}"


# --- what each button does: (the result to show, the buttons to leave) -------------------------


def _register(user: User, event_id: int, _choice: str):
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotValid
    if any(question.required for question in event.questions):  # answered on the site
        url = external_url("events.event_page", event_id=event.id)
        raise errors.DomainError(_("This event asks a few questions first: %(url)s", url=url))
    seat = registration.register(event.id, user)
    title = event.title
    said = {
        RegistrationStatus.CONFIRMED: _("You have a seat at “%(title)s”.", title=title),
        RegistrationStatus.WAITLISTED: _("You are on the waitlist for “%(title)s”.", title=title),
        RegistrationStatus.PENDING: _("You asked the hosts for a seat: “%(title)s”.", title=title),
    }
    return said.get(seat.status, _("Done.")), seat_buttons(user.id, event.id, has_seat=True)


def _cancel(user: User, event_id: int, _choice: str):
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotValid
    seat = registration.cancel(event.id, user)
    if seat is None or seat.status != RegistrationStatus.CANCELLED:
        return _("You had no seat at “%(title)s”.", title=event.title), None
    open_ = registration.registration_is_open(event, utcnow())
    buttons = seat_buttons(user.id, event.id, has_seat=False) if open_ else None
    return _("Your seat at “%(title)s” is given up.", title=event.title), buttons


def _member_of(user: User, meeting_id: int) -> MeetingMember:
    member = db.session.get(MeetingMember, (meeting_id, user.id))
    if member is None:
        raise NotValid
    return member


def _met(user: User, meeting_id: int, choice: str):
    if choice not in set(MetAnswer):
        raise NotValid
    meetings.record_feedback(_member_of(user, meeting_id), met=choice)
    if choice == MetAnswer.YES:
        return _("Glad you met! How was it?"), rating_buttons(user.id, meeting_id)
    if choice == MetAnswer.NOT_YET:
        return _("Noted: not yet. Tap “We met” when you do."), met_buttons(user.id, meeting_id)
    return _("Noted: it didn't happen. Thank you for saying."), None


def _rate(user: User, meeting_id: int, choice: str):
    if choice not in ("1", "2", "3", "4", "5"):
        raise NotValid
    meetings.record_feedback(_member_of(user, meeting_id), rating=int(choice))
    return _("Thank you! Stay in touch and share contacts?"), keep_buttons(user.id, meeting_id)


def _keep(user: User, meeting_id: int, choice: str):
    if choice not in ("yes", "no"):
        raise NotValid
    meetings.record_feedback(_member_of(user, meeting_id), wants_contact=choice == "yes")
    if choice == "yes":
        url = meetings.feedback_link(meeting_id, user.id)
        return _("Thank you! If your partner agrees too, contacts are here: %(url)s", url=url), None
    return _("Thank you for your answer."), None


def _introduction(user: User, introduction_id: int, choice: str):
    introduction = db.session.get(Introduction, introduction_id)
    if introduction is None or introduction.side_of(user.id) is None:
        raise NotValid
    if choice not in (IntroductionAnswer.YES, IntroductionAnswer.NOT_NOW):
        raise NotValid
    introductions.answer(introduction, user.id, choice)
    if choice == IntroductionAnswer.NOT_NOW:
        return _("Noted: not now. Nobody else is told."), None
    if introduction.meeting_id is not None:
        return _("You both said yes: the contacts are in your email."), None
    return _("Noted: yes. We will write when the other person answers."), None


def _subscription(user: User) -> CoffeeSubscription:
    subscription = db.session.get(CoffeeSubscription, user.id)
    if subscription is None or not subscription.active:
        raise errors.DomainError(_("You are not in random coffee. Join it on the site."))
    return subscription


def _pause(user: User, _object_id: int, _choice: str):
    until = utcnow().date() + PAUSE
    _subscription(user).paused_until = until
    return (
        _("Random coffee is paused until %(date)s.", date=format_date(until, "long")),
        coffee_buttons(user.id, paused=True),
    )


def _resume(user: User, _object_id: int, _choice: str):
    _subscription(user).paused_until = None
    return _("Random coffee is on again."), coffee_buttons(user.id, paused=False)


ACTIONS = {
    "register": _register,
    "cancel": _cancel,
    "met": _met,
    "rate": _rate,
    "keep": _keep,
    "intro": _introduction,
    "pause": _pause,
    "resume": _resume,
}
