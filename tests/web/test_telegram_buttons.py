"""Acting from the chat: the buttons under the bot's messages, tapped as a person taps them
(a `callback_query` from the fake Bot API), through the webhook and through polling. The
message is edited to show the result, and the web shows the same state."""

import json

import pytest
import sqlalchemy as sa
from ical.calendar_stream import IcsCalendarStream

from app.extensions import db
from app.models import (
    CoffeeSubscription,
    Introduction,
    MeetingMember,
    OutboxMessage,
    Registration,
    Round,
    TelegramLink,
)
from app.models.types import utcnow
from app.services import preferences
from app.services.duties import DUTIES, run_duties
from app.services.telegram import polling
from app.services.telegram.client import bot_from_config
from tests.web import test_rounds
from tests.web.test_coffee import join, run_round
from tests.web.test_introductions import introduce
from tests.web.test_rounds import partner_of, publish_round
from tests.web.test_telegram_delivery import remind
from tests.web.test_telegram_linking import deliver

OLENA, PETRO = 700100401, 700100402
evening = test_rounds.evening  # six checked-in attendees and their host, logged in


def link(app, user, chat, *, also=()):
    """The member's chat linked, with Telegram chosen for the kinds in `also`."""
    with app.app_context():
        db.session.add(TelegramLink(user_id=user.id, chat_id=chat))
        person = db.session.get(type(user), user.id)
        for category in also:
            preferences.set_choice(person, category, True, preferences.TELEGRAM)
        db.session.commit()


def send_outbox(app):
    with app.app_context():
        run_duties(utcnow(), [(name, duty) for name, duty in DUTIES if name == "telegram"])


def seat(app, event, user):
    with app.app_context():
        return db.session.scalar(
            sa.select(Registration.status).where(
                Registration.event_id == event.id, Registration.user_id == user.id
            )
        )


def answered(fake) -> list[str]:
    """What the taps were told, in order (the notice Telegram shows at the top of the chat)."""
    return [answer.get("text", "") for answer in fake.taps.values()]


def test_cancel_my_seat_from_a_reminder_and_take_it_back(
    app, client, auth, make_user, make_event, telegram_api
):
    olena = make_user("Олена Коваль")
    link(app, olena, OLENA)
    event = remind(app, make_event, olena, title="Вечір знайомств")
    send_outbox(app)
    assert telegram_api.buttons(OLENA) == ["Скасувати мою реєстрацію"]

    response = deliver(client, telegram_api, telegram_api.tap(OLENA, "Скасувати мою реєстрацію"))
    assert response.status_code == 200
    assert seat(app, event, olena) == "cancelled"
    assert answered(telegram_api) == ["Ваше місце на «Вечір знайомств» звільнено."]
    shown = telegram_api.shows(OLENA)
    assert shown.startswith("<b>") and "✅ Ваше місце на «Вечір знайомств» звільнено." in shown
    assert telegram_api.buttons(OLENA) == ["Зареєструватися"]

    deliver(client, telegram_api, telegram_api.tap(OLENA, "Зареєструватися"))
    assert seat(app, event, olena) == "confirmed"
    assert telegram_api.shows(OLENA).count("✅") == 1  # the result replaced, not piled up
    assert telegram_api.buttons(OLENA) == ["Скасувати мою реєстрацію"]
    auth.login(olena)
    assert "✓ Ви йдете" in client.get(f"/events/{event.id}").text


def test_a_button_for_someone_else_or_forged_changes_nothing(
    app, client, make_user, make_event, telegram_api
):
    olena, petro = make_user("Олена Коваль"), make_user("Петро Мельник")
    link(app, olena, OLENA)
    link(app, petro, PETRO)
    event = remind(app, make_event, olena)
    send_outbox(app)

    # Petro taps (or replays) the button made for Olena's seat.
    deliver(client, telegram_api, telegram_api.tap(OLENA, "Скасувати мою реєстрацію", by=PETRO))
    # Olena's own button, its event changed by hand.
    forged = telegram_api.tap(OLENA, "Скасувати мою реєстрацію")
    action, _event, choice, mac = forged["callback_query"]["data"].split(":")
    forged["callback_query"]["data"] = f"{action}:{event.id + 1}:{choice}:{mac}"
    deliver(client, telegram_api, forged)
    # Not a button of ours at all.
    junk = telegram_api.tap(OLENA, "Скасувати мою реєстрацію")
    junk["callback_query"]["data"] = "register:1:"
    deliver(client, telegram_api, junk)

    assert seat(app, event, olena) == "confirmed"
    assert answered(telegram_api) == ["Ця кнопка вже не діє. Відкрийте сайт спільноти, щоб "
                                      "побачити, як справи зараз."] * 3  # fmt: skip
    assert telegram_api.buttons(OLENA) == ["Скасувати мою реєстрацію"]  # not edited


def test_a_tap_from_a_chat_nobody_linked_is_told_how_to_link(
    app, client, make_user, make_event, telegram_api, database
):
    olena = make_user("Олена Коваль")
    link(app, olena, OLENA)
    event = remind(app, make_event, olena)
    send_outbox(app)
    tap = telegram_api.tap(OLENA, "Скасувати мою реєстрацію")
    with app.app_context():
        db.session.execute(sa.delete(TelegramLink))
        db.session.commit()
    deliver(client, telegram_api, tap)
    [notice] = telegram_api.taps.values()
    assert notice["show_alert"] is True and "підключіть Telegram" in notice["text"]
    assert seat(app, event, olena) == "confirmed"


@pytest.fixture
def coffee_pair(app, make_user):
    """Olena and Petro in random coffee, both getting coffee news in Telegram, matched."""
    olena, petro = make_user("Олена Коваль"), make_user("Петро Мельник")
    for person, chat in ((olena, OLENA), (petro, PETRO)):
        join(app, person)
        link(app, person, chat, also=["coffee"])
    run_round(app)
    send_outbox(app)
    return olena, petro


def test_we_met_a_rating_and_staying_in_touch_from_the_chat(app, client, telegram_api, coffee_pair):
    olena, petro = coffee_pair
    assert "Петро Мельник" in telegram_api.shows(OLENA)
    assert telegram_api.buttons(OLENA) == [
        "Ми зустрілися", "Ще ні", "Не склалося", "Пауза на 2 тижні",
    ]  # fmt: skip

    deliver(client, telegram_api, telegram_api.tap(OLENA, "Ще ні"))
    assert "Ми зустрілися" in telegram_api.buttons(OLENA)  # still to be answered later
    deliver(client, telegram_api, telegram_api.tap(OLENA, "Ми зустрілися"))
    assert telegram_api.buttons(OLENA) == ["⭐", "⭐⭐", "⭐⭐⭐", "⭐⭐⭐⭐", "⭐⭐⭐⭐⭐"]
    deliver(client, telegram_api, telegram_api.tap(OLENA, "⭐⭐⭐⭐"))
    assert telegram_api.buttons(OLENA) == ["Так, обмінятися контактами", "Ні, дякую"]
    deliver(client, telegram_api, telegram_api.tap(OLENA, "Так, обмінятися контактами"))
    assert telegram_api.buttons(OLENA) == []
    assert "✅ Дякуємо! Якщо ваш партнер теж погодиться" in telegram_api.shows(OLENA)

    with app.app_context():
        mine = db.session.scalar(sa.select(MeetingMember).where(MeetingMember.user_id == olena.id))
        assert (mine.met, mine.rating, mine.wants_contact) == ("yes", 4, True)
        assert mine.responded_at is not None
        theirs = db.session.get(MeetingMember, (mine.meeting_id, petro.id))
        assert (theirs.met, theirs.rating) == (None, None)  # Petro's answers are his own


def test_pause_and_resume_random_coffee_from_the_chat(app, client, telegram_api, coffee_pair):
    olena, _petro = coffee_pair
    deliver(client, telegram_api, telegram_api.tap(OLENA, "Пауза на 2 тижні"))
    with app.app_context():
        paused = db.session.get(CoffeeSubscription, olena.id).paused_until
    assert (paused - utcnow().date()).days == 14
    assert "Випадкова кава на паузі до" in answered(telegram_api)[0]
    assert telegram_api.buttons(OLENA) == ["Відновити випадкову каву"]
    deliver(client, telegram_api, telegram_api.tap(OLENA, "Відновити випадкову каву"))
    with app.app_context():
        assert db.session.get(CoffeeSubscription, olena.id).paused_until is None


def test_an_introduction_answered_from_the_chat_through_polling(
    app, client, auth, make_user, telegram_api, database
):
    """Without a webhook: the worker's `flask telegram poll` reads the taps."""
    olena, petro = make_user("Олена Коваль"), make_user("Петро Мельник")
    link(app, olena, OLENA, also=["introductions"])
    link(app, petro, PETRO, also=["introductions"])
    auth.login(make_user("Ганна Ведуча", role="host"))
    introduce(client, olena, petro)
    send_outbox(app)
    assert telegram_api.buttons(OLENA) == ["Так, познайомте нас", "Не зараз"]

    olenas_yes = telegram_api.tap(OLENA, "Так, познайомте нас")
    telegram_api.queue_update(olenas_yes)
    telegram_api.queue_update(telegram_api.tap(PETRO, "Так, познайомте нас"))
    with app.app_context():
        assert polling.poll_once(bot_from_config(), wait_seconds=0) == 2
    [introduction] = database.all(Introduction)
    assert introduction.status == "accepted" and introduction.meeting_id is not None
    assert answered(telegram_api)[-1] == "Ви обоє погодилися: контакти у вашій пошті."
    with app.app_context():  # both get the contacts by email
        accepted = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.dedupe_key.like("introduction-accepted%"))
        ).all()
    assert len(accepted) == 2

    # Telegram sends the first tap again (as it does when a webhook did not answer): the
    # introduction stays as it is, and nothing breaks.
    assert deliver(client, telegram_api, olenas_yes).status_code == 200
    assert database.all(Introduction)[0].status == "accepted"


def test_buttons_fit_telegrams_64_bytes(app, make_user, make_event, telegram_api):
    olena = make_user("Олена Коваль")
    link(app, olena, OLENA)
    remind(app, make_event, olena)
    with app.app_context():
        [row] = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.channel == "telegram")
        ).all()
        markup = json.loads(row.reply_markup)
    for button in (b for line in markup["inline_keyboard"] for b in line):
        assert 1 <= len(button["callback_data"].encode()) <= 64


def test_a_published_round_reaches_linked_attendees_in_telegram(app, client, telegram_api, evening):
    """The host publishes a round: a linked attendee's chat shows their partner, table and
    why, as their phone does; an attendee without Telegram gets nothing there."""
    event, people = evening["event"], evening["people"]
    link(app, people[0], OLENA)
    groups = publish_round(app, client, event.id, 1)
    send_outbox(app)
    [news] = telegram_api.sent()
    assert news["chat_id"] == OLENA
    [partner_id] = partner_of(groups, people[0].id)
    partner = next(p for p in people if p.id == partner_id)
    assert news["text"].startswith("<b>Раунд 1</b> · <b>Стіл ")
    assert f"<b>{partner.name}</b>" in news["text"] and "Чому саме ви:" in news["text"]
    assert f"/events/{event.id}/live" in news["text"]

    deliver(client, telegram_api, telegram_api.tap(OLENA, "Так, обмінятися контактами"))
    with app.app_context():
        mine = db.session.scalar(
            sa.select(MeetingMember)
            .join(Round)
            .where(MeetingMember.user_id == people[0].id, Round.event_id == event.id)
        )
        assert mine.wants_contact is True

    publish_round(app, client, event.id, 2)  # the next round is news again, once
    send_outbox(app)
    send_outbox(app)
    rounds = [m["text"].split(" · ")[0] for m in telegram_api.sent()]
    assert rounds == ["<b>Раунд 1</b>", "<b>Раунд 2</b>"]


def test_my_registrations_in_telegram_with_the_calendar_file(
    app, client, auth, make_user, make_event, telegram_api
):
    """Chosen on /me/preferences: the confirmation comes in Telegram too, with a button to
    give the seat up and the .ics as a file; by email it comes as ever."""
    olena = make_user("Олена Коваль")
    link(app, olena, OLENA)
    auth.login(olena)
    page = client.get("/me/preferences").text
    assert "Ваші реєстрації" in page and 'value="registrations"' in page
    kept = {"category": ["announcements", "reminders", "coffee", "surveys", "introductions"]}
    client.post("/me/preferences", data=kept | {"telegram": ["reminders", "registrations"]})
    event = make_event(title="Вечір знайомств")
    client.post(f"/events/{event.id}/register")
    send_outbox(app)

    confirmation, calendar = telegram_api.delivered
    assert confirmation[0] == "sendMessage" and "Вечір знайомств" in confirmation[1]["text"]
    assert telegram_api.buttons(OLENA) == ["Скасувати мою реєстрацію"]
    method, document = calendar
    assert method == "sendDocument" and document["chat_id"] == OLENA
    assert document["document"]["filename"] == "event.ics"
    [entry] = IcsCalendarStream.calendar_from_ics(document["document"]["data"].decode()).events
    assert entry.summary == "Вечір знайомств"
    with app.app_context():
        emails = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.channel == "email")
        ).all()
        assert [m.unsubscribe_url for m in emails] == [None]  # it always goes; nothing to undo

    # Given up from the chat: the cancellation comes back the same way, with its CANCEL.
    deliver(client, telegram_api, telegram_api.tap(OLENA, "Скасувати мою реєстрацію"))
    send_outbox(app)
    assert [name for name, _params in telegram_api.delivered[-2:]] == [
        "sendMessage", "sendDocument",
    ]  # fmt: skip
    assert telegram_api.delivered[-1][1]["document"]["filename"] == "cancel.ics"


def test_malformed_taps_are_answered_and_change_nothing(
    app, client, make_user, make_event, telegram_api
):
    """Callback queries with parts missing or of the wrong type, as a scanner or a broken
    client might send them: each answered 200, nothing changed, nothing raised."""
    olena = make_user("Олена Коваль")
    link(app, olena, OLENA)
    event = remind(app, make_event, olena)
    send_outbox(app)
    good = telegram_api.tap(OLENA, "Скасувати мою реєстрацію")["callback_query"]
    broken = [
        {},
        {"id": "1"},
        {"id": "1", "from": {"id": "not a number"}, "data": good["data"]},
        {"id": "1", "from": {"id": OLENA}, "data": 12},
        {"id": "1", "from": {"id": OLENA}, "data": "cancel:x:y:z:w"},
        {"id": "1", "from": {"id": OLENA}, "data": "unknown:1::abc"},
        {"id": "1", "from": {"id": OLENA, "language_code": 5}, "data": "x"},
        {"id": "1", "from": {"id": OLENA}, "data": "cancel:99999999999999999999::" + "a" * 12},
    ]
    for query in broken:
        assert deliver(client, telegram_api, {"callback_query": query}).status_code == 200
    assert seat(app, event, olena) == "confirmed"
    # Her own button, its message part garbled: the seat is given up, nothing is edited.
    garbled = good | {"message": "text"}
    assert deliver(client, telegram_api, {"callback_query": garbled}).status_code == 200
    assert seat(app, event, olena) == "cancelled"
    assert telegram_api.sent("editMessageText") == []
    garbled_messages = [
        {"message": {"chat": "private", "text": "/start x"}},
        {"message": {"chat": {"id": OLENA, "type": "private"}, "from": "Олена", "text": "x"}},
        {"message": {"chat": {"id": OLENA, "type": "private"}, "text": ["/stop"]}},
    ]
    for update in garbled_messages:
        assert deliver(client, telegram_api, update).status_code == 200
