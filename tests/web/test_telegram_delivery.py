"""Telegram as a second channel of the outbox, against the fake Bot API: a member's choice per
kind of message, delivery within Telegram's limits, 429, a blocked bot, Telegram away."""

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import OutboxMessage, Registration, TelegramLink
from app.models.types import utcnow
from app.services import preferences
from app.services.duties import DUTIES, run_duties
from app.services.mail import queue_email
from app.services.notifications import send_due_reminders
from app.services.telegram import delivery
from app.services.telegram.client import bot_from_config

CHAT = 700100300


def linked(app, user, chat=CHAT):
    with app.app_context():
        db.session.add(TelegramLink(user_id=user.id, chat_id=chat))
        db.session.commit()


def remind(app, make_event, user, title="Вечір знайомств"):
    """An event tomorrow with the user's confirmed seat, and the worker's reminder duty."""
    start = utcnow() + timedelta(hours=20)
    event = make_event(title=title, starts_at=start, ends_at=start + timedelta(hours=2))
    with app.app_context():
        db.session.add(Registration(event_id=event.id, user_id=user.id, status="confirmed"))
        db.session.commit()
        send_due_reminders(utcnow())
        db.session.commit()
    return event


def rows(app, channel):
    with app.app_context():
        found = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.channel == channel)
        ).all()
        for row in found:
            db.session.expunge(row)
        return found


def test_a_reminder_goes_to_telegram_too_and_once(app, make_user, make_event, telegram_api):
    member = make_user("Олена Коваль")
    linked(app, member)
    remind(app, make_event, member, title="Вечір <знайомств> & кава")
    [copy] = rows(app, "telegram")
    assert copy.to == str(CHAT) and "Вечір &lt;знайомств&gt; &amp; кава" in copy.text_body
    assert len(rows(app, "email")) == 1  # reminders by email stay on
    with app.app_context():
        twice = [(name, duty) for name, duty in DUTIES if name == "telegram"] * 2
        run_duties(utcnow(), twice)  # the worker's own duty, run twice
    [sent] = telegram_api.sent(chat_id=CHAT)
    assert sent["parse_mode"] == "HTML" and sent["text"].startswith("<b>")
    assert "Вечір &lt;знайомств&gt; &amp; кава" in sent["text"]
    assert "unsubscribe" not in sent["text"].lower()  # the email's footer stays in the email
    assert rows(app, "telegram")[0].sent_at is not None


def test_telegram_only_and_email_takes_over_when_the_bot_is_blocked(
    app, make_user, make_event, telegram_api
):
    member = make_user("Олена Коваль")
    linked(app, member)
    with app.app_context():
        preferences.set_choice(db.session.get(type(member), member.id), "reminders", False)
        db.session.commit()
    remind(app, make_event, member)
    assert len(rows(app, "telegram")) == 1 and rows(app, "email") == []

    telegram_api.blocked.add(CHAT)
    with app.app_context():
        report = delivery.deliver_due(bot_from_config())
        assert report.given_up == 1
        assert db.session.scalar(sa.select(TelegramLink.broken_at)) is not None
    remind(app, make_event, member, title="Друга зустріч")
    assert len(rows(app, "telegram")) == 1  # no new copy for a broken chat
    emails = " ".join(m.subject for m in rows(app, "email"))
    # Email takes over: the new reminder, and the one Telegram could not deliver.
    assert "Друга зустріч" in emails and "Вечір знайомств" in emails


def test_members_who_did_not_choose_telegram_get_no_copy(app, make_user, make_event, telegram_api):
    member = make_user("Олена Коваль")
    linked(app, member)
    with app.app_context():
        queue_email(member.email, "personal_note", locale="uk", category="announcements",
                    recipient_id=member.id, dedupe_key="m1", subject="Новини", text="Привіт",
                    user=member, author=member)  # fmt: skip
        db.session.commit()
    assert rows(app, "telegram") == []  # announcements go to Telegram only when chosen
    assert len(rows(app, "email")) == 1


def test_many_chats_within_the_limit_without_a_single_429(app, make_user, telegram_api):
    people = [make_user(f"Людина {n}") for n in range(40)]
    for n, person in enumerate(people):
        linked(app, person, CHAT + n)
    with app.app_context():
        for n in range(len(people)):
            db.session.add(OutboxMessage(channel="telegram", to=str(CHAT + n), subject="Завтра",
                                         text_body="<b>Завтра</b>"))  # fmt: skip
        # Four for one chat: past Telegram's burst of three, each waits its second.
        for n in range(3):
            db.session.add(OutboxMessage(channel="telegram", to=str(CHAT), subject="Ще",
                                         text_body=f"Ще {n}"))  # fmt: skip
        db.session.commit()
        report = delivery.deliver_due(bot_from_config())
    assert report.sent == 43 and telegram_api.too_many == 0
    assert len(telegram_api.sent()) == 43 and len(telegram_api.sent(chat_id=CHAT)) == 4


def test_a_429_waits_as_long_as_telegram_asks_and_nothing_is_sent_twice(
    app, make_user, telegram_api
):
    telegram_api.overall = 1  # a stricter Telegram than the worker expects
    start = utcnow()
    with app.app_context():
        for n in range(3):
            db.session.add(OutboxMessage(channel="telegram", to=str(CHAT + n), subject="x",
                                         text_body="x"))  # fmt: skip
        db.session.commit()
        first = delivery.deliver_due(bot_from_config())
        assert (first.sent, first.failed) == (1, 1) and telegram_api.too_many == 1
        [refused] = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.last_error.contains("429"))
        ).all()
        assert refused.send_after >= start + timedelta(seconds=1)  # retry_after honoured
        later = utcnow() + timedelta(seconds=5)
        telegram_api.overall = 30
        second = delivery.deliver_due(bot_from_config(), now=later)
    assert second.sent == 2
    assert sorted(m["chat_id"] for m in telegram_api.sent()) == [CHAT, CHAT + 1, CHAT + 2]


def test_telegram_away_keeps_everything_and_delivers_it_once_back(app, telegram_api):
    with app.app_context():
        db.session.add(OutboxMessage(channel="telegram", to=str(CHAT), subject="x",
                                     text_body="Нагадування"))  # fmt: skip
        db.session.commit()
        telegram_api.down = True
        away = delivery.deliver_due(bot_from_config())
        assert (away.sent, away.failed) == (0, 1)
        telegram_api.down = False
        back = delivery.deliver_due(bot_from_config(), now=utcnow() + timedelta(hours=1))
    assert back.sent == 1
    assert [m["text"] for m in telegram_api.sent()] == ["Нагадування"]


def test_the_choice_of_telegram_per_kind_on_the_preferences_page(
    app, client, auth, make_user, telegram_api
):
    member = make_user("Олена Коваль")
    auth.login(member)
    assert 'name="telegram"' not in client.get("/me/preferences").text  # not linked yet
    linked(app, member)
    page = client.get("/me/preferences").text
    assert 'id="telegram-reminders" checked' in page  # on by default
    assert 'id="telegram-coffee" checked' not in page
    everything = ["announcements", "reminders", "coffee", "surveys", "introductions"]
    client.post("/me/preferences", data={"category": everything, "telegram": ["coffee"]})
    with app.app_context():
        assert preferences.wants(member.id, "coffee", preferences.TELEGRAM)
        assert not preferences.wants(member.id, "reminders", preferences.TELEGRAM)
        assert preferences.wants(member.id, "reminders")  # email untouched


def test_a_message_to_everyone_goes_by_each_persons_channels(
    app, make_user, telegram_api, database
):
    """Written in one statement: by email to who keeps announcements by email, in Telegram to
    who chose them there, and by email again to one whose chat broke."""
    from app.services import messages

    admin = make_user("Олена Адмін", role="admin")
    email_only = make_user("Лише Пошта")
    both = make_user("Пошта І Телеграм")
    telegram_only = make_user("Лише <Телеграм>")
    broken = make_user("Заблокував Бота")
    with app.app_context():
        for n, person in enumerate((both, telegram_only, broken)):
            user = db.session.get(type(person), person.id)
            db.session.add(TelegramLink(user_id=user.id, chat_id=CHAT + n))
            preferences.set_choice(user, "announcements", True, preferences.TELEGRAM)
        for person in (telegram_only, broken):
            preferences.set_choice(db.session.get(type(person), person.id), "announcements", False)
        db.session.flush()
        db.session.execute(
            sa.update(TelegramLink)
            .where(TelegramLink.user_id == broken.id)
            .values(broken_at=utcnow())
        )
        draft = messages.Draft(
            subject="Зустріч у суботу", body_md="Приходьте **всі**.", audience="everyone"
        )
        message = messages.create(db.session.get(type(admin), admin.id), draft)
        db.session.commit()
        assert message.recipients == 5

    by_email = sorted(m.to for m in rows(app, "email"))
    assert by_email == sorted(p.email for p in (admin, email_only, both, broken))
    in_telegram = {m.to: m.text_body for m in rows(app, "telegram")}
    assert sorted(in_telegram) == [str(CHAT), str(CHAT + 1)]
    text = in_telegram[str(CHAT + 1)]
    assert text.startswith("<b>Зустріч у суботу</b>") and "Лише &lt;Телеграм&gt;" in text
    assert "Приходьте всі." in text and "unsubscribe" not in text.lower() and "--" not in text
    with app.app_context():
        delivery.deliver_due(bot_from_config())
    assert sorted(m["chat_id"] for m in telegram_api.sent()) == [CHAT, CHAT + 1]
