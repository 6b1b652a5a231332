"""A member links Telegram from their profile in Chromium, following the deep link; the
community's channel posts an event, she taps Register under the post, and the event page in
Chromium shows her seat. Telegram is the fake Bot API; its updates reach the running app's
webhook over HTTP, as Telegram's would."""

from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.sync_api import expect

from app.extensions import db
from app.models import TelegramLink
from app.models.types import utcnow
from app.services.duties import DUTIES, run_duties
from tests.conftest import WEBHOOK_SECRET
from tests.e2e.conftest import log_in
from tests.telegram_fake import private_message

CHAT = 700100500
CHANNEL = "@spilno_news"


def test_link_through_the_deep_link_then_register_from_the_channel(
    app, browser, live_server, make_user, make_event, telegram_api, database, screenshot
):
    app.config["TELEGRAM_CHANNEL_ID"] = CHANNEL
    olena = make_user("Олена Коваль")
    event = make_event(title="Вечір знайомств")

    def telegram_sends(update: dict) -> None:
        """Telegram delivering an update to the app's webhook."""
        response = httpx.post(
            f"{live_server}/telegram/webhook/{WEBHOOK_SECRET}",
            json={"update_id": telegram_api.new_update_id(), **update},
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        )
        assert response.status_code == 200

    page = log_in(browser, live_server, olena.email, path="/me")
    # The app answers "Connect Telegram" with a redirect to the bot, which a phone opens in
    # the Telegram app; here the redirect is read, and a page stands in for the app.
    opened = []

    def open_telegram(route):
        response = route.fetch(max_redirects=0)
        assert response.status == 302
        opened.append(response.headers["location"])
        route.fulfill(body="<p>Telegram opens</p>", content_type="text/html")

    page.route("**/me/telegram/connect", open_telegram)
    page.get_by_role("button", name="Підключити Telegram").click()
    expect(page.get_by_text("Telegram opens")).to_be_visible()
    [deep_link] = opened
    link = urlsplit(deep_link)
    assert (link.netloc, link.path) == ("t.me", "/spilno_test_bot")
    telegram_sends(private_message(CHAT, "/start " + parse_qs(link.query)["start"][0]))
    assert "<b>Олена Коваль</b>" in telegram_api.sent(chat_id=CHAT)[0]["text"]
    [linked] = database.all(TelegramLink)
    assert (linked.user_id, linked.chat_id) == (olena.id, CHAT)

    page.goto(live_server + "/me#telegram")
    expect(page.locator("#telegram")).to_contain_text("в Telegram підключено з")
    screenshot(page, "linked")
    page.goto(live_server + "/me/preferences")
    expect(page.get_by_label("Також у Telegram")).to_have_count(6)  # each kind, registrations too
    screenshot(page, "preferences")

    # The worker posts the event in the channel; she taps Register under the post.
    with app.app_context():
        run_duties(utcnow(), [duty for duty in DUTIES if duty[0] == "telegram channel"])
    assert telegram_api.buttons(CHANNEL) == ["Зареєструватися"]
    telegram_sends(telegram_api.tap(CHANNEL, "Зареєструватися", by=CHAT))
    [answer] = telegram_api.taps.values()
    assert answer["text"] == "У вас є місце на «Вечір знайомств»."

    page.goto(f"{live_server}/events/{event.id}")
    expect(page.get_by_text("✓ Ви йдете")).to_be_visible()
    screenshot(page, "seat")
    with app.app_context():
        db.engine.dispose()
