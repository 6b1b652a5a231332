"""The community's Telegram channel: each published event posted once by the worker, with its
cover and a Register button any linked member can tap; a cancelled event's post edited."""

import io
from datetime import timedelta

import pytest
from PIL import Image

from app.extensions import db
from app.models import Event, TelegramPost
from app.models.types import utcnow
from app.services import events, pictures
from tests.pictures import sample_picture
from tests.web.test_telegram_buttons import OLENA, answered, link, seat
from tests.web.test_telegram_linking import deliver

CHANNEL = "@spilno_news"


@pytest.fixture
def channel(app, telegram_api):
    app.config["TELEGRAM_CHANNEL_ID"] = CHANNEL
    return telegram_api


def worker_pass(app):
    from app.services.duties import DUTIES, run_duties

    with app.app_context():
        run_duties(utcnow(), [(name, duty) for name, duty in DUTIES if name == "telegram channel"])


def with_cover(app, event):
    with app.app_context():
        name = pictures.save_picture(
            sample_picture(), "cover.png", "cover", app.config["UPLOADS_DIR"]
        )
        db.session.get(Event, event.id).cover = name
        db.session.commit()


def test_a_published_event_is_posted_once_with_its_cover(app, make_event, channel, database):
    event = make_event(title="Вечір <знайомств>", description="**Знайомимося** з сусідами.")
    with_cover(app, event)
    make_event(title="Чернетка", status="draft")
    make_event(
        title="Минула", starts_at=utcnow() - timedelta(days=2), ends_at=utcnow() - timedelta(days=1)
    )
    worker_pass(app)
    worker_pass(app)  # the second pass finds nothing new

    [post] = channel.sent("sendPhoto")
    assert post["chat_id"] == CHANNEL and post["parse_mode"] == "HTML"
    caption = post["caption"]
    assert caption.startswith("<b>Вечір &lt;знайомств&gt;</b>")
    assert "Знайомимося з сусідами." in caption and "Мистецький арсенал, Київ" in caption
    assert f"/events/{event.id}" in caption
    photo = Image.open(io.BytesIO(post["photo"]["data"]))
    assert (photo.format, photo.size) == ("JPEG", (1200, 630))
    assert channel.buttons(CHANNEL) == ["Зареєструватися"]
    assert channel.sent("sendMessage") == []  # the draft and the past event are not posted
    [row] = database.all(TelegramPost)
    assert (row.event_id, row.with_photo) == (event.id, True)


def test_a_member_registers_from_the_channel_and_a_stranger_is_told_to_link(
    app, client, make_user, make_event, channel
):
    olena = make_user("Олена Коваль")
    link(app, olena, OLENA)
    event = make_event(title="Вечір знайомств")
    worker_pass(app)
    [post] = channel.sent("sendMessage", chat_id=CHANNEL)  # no cover: a text post

    deliver(client, channel, channel.tap(CHANNEL, "Зареєструватися", by=OLENA))
    assert seat(app, event, olena) == "confirmed"
    assert answered(channel) == ["У вас є місце на «Вечір знайомств»."]
    deliver(client, channel, channel.tap(CHANNEL, "Зареєструватися", by=555))
    assert "підключіть Telegram" in answered(channel)[-1]
    assert channel.shows(CHANNEL) == post["text"]  # the channel's post is the same for all


def test_a_cancelled_event_s_post_says_so(app, make_event, channel):
    with_photo, plain = make_event(title="З обкладинкою"), make_event(title="Без обкладинки")
    with_cover(app, with_photo)
    worker_pass(app)
    with app.app_context():
        for event in (with_photo, plain):
            events.cancel_event(event.id)
        db.session.commit()
    worker_pass(app)
    worker_pass(app)

    [caption] = channel.sent("editMessageCaption")
    [text] = channel.sent("editMessageText")
    for edit, title in ((caption["caption"], "З обкладинкою"), (text["text"], "Без обкладинки")):
        assert edit.startswith(f"❌ <b>Скасовано</b>\n<s>{title}</s>")
    assert channel.buttons(CHANNEL) == []


def test_telegram_saying_slow_down_leaves_the_rest_for_the_next_pass(
    app, make_event, channel, database
):
    for n in range(3):
        make_event(title=f"Подія {n}")
    channel.overall = 1  # Telegram allows one message now, then answers 429
    worker_pass(app)
    assert len(database.all(TelegramPost)) == 1 and channel.too_many == 1
    channel.overall = 30
    worker_pass(app)
    assert len(database.all(TelegramPost)) == 3
    assert len(channel.sent("sendMessage", chat_id=CHANNEL)) == 3


def test_without_a_channel_nothing_is_posted(app, make_event, telegram_api):
    make_event()
    worker_pass(app)
    assert telegram_api.calls == []


def test_an_event_with_required_questions_is_registered_for_on_the_site(
    app, client, make_user, make_event, channel
):
    from app.services import registration_questions

    olena = make_user("Олена Коваль")
    link(app, olena, OLENA)
    event = make_event(title="Вечір знайомств")
    with app.app_context():
        registration_questions.add_question(
            db.session.get(Event, event.id), kind="text", text="Ваша мета?", options=[],
            required=True,
        )  # fmt: skip
        db.session.commit()
    worker_pass(app)
    deliver(client, channel, channel.tap(CHANNEL, "Зареєструватися", by=OLENA))
    assert seat(app, event, olena) is None
    [told] = answered(channel)
    assert (
        told.startswith("Для цієї події спершу треба відповісти") and f"/events/{event.id}" in told
    )
