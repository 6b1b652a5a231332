"""Linking a member's Telegram chat through the deep link, against the fake Bot API; the
webhook's guard; what the bot says to strangers; disconnecting from both sides."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from app.extensions import db
from app.models import TelegramLink, TelegramLinkToken
from tests.conftest import WEBHOOK_SECRET
from tests.telegram_fake import private_message

CHAT = 700100200
HOOK = f"/telegram/webhook/{WEBHOOK_SECRET}"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}


def deliver(client, fake, update: dict):
    """Telegram calling the webhook with one update."""
    body = {"update_id": fake.new_update_id(), **update}
    return client.post(HOOK, json=body, headers=HEADERS)


def connect(client) -> str:
    """Tap "Connect Telegram" on /me: the `start` token of the deep link it leads to."""
    response = client.post("/me/telegram/connect")
    assert response.status_code == 302
    target = urlsplit(response.location)
    assert (target.scheme, target.netloc, target.path) == ("https", "t.me", "/spilno_test_bot")
    return parse_qs(target.query)["start"][0]


def test_a_member_links_their_chat_and_the_bot_says_so(
    app, client, auth, make_user, telegram_api, database
):
    member = make_user("Олена Коваль", locale="uk")
    auth.login(member)
    page = client.get("/me").text
    assert 'id="telegram"' in page and "Підключити Telegram" in page
    token = connect(client)
    assert (
        deliver(client, telegram_api, private_message(CHAT, f"/start {token}")).status_code == 200
    )
    [link] = database.all(TelegramLink)
    assert (link.user_id, link.chat_id, link.broken_at) == (member.id, CHAT, None)
    [reply] = telegram_api.sent(chat_id=CHAT)
    assert "<b>Олена Коваль</b>" in reply["text"] and reply["parse_mode"] == "HTML"
    assert "/stop" in reply["text"]
    assert "telegram-linked" in client.get("/me").text

    # The same link again (a second tap, a forwarded message): refused, the link stays.
    deliver(client, telegram_api, private_message(CHAT + 1, f"/start {token}"))
    assert "вже використали" in telegram_api.sent(chat_id=CHAT + 1)[0]["text"]
    assert [lk.chat_id for lk in database.all(TelegramLink)] == [CHAT]


def test_an_expired_or_made_up_token_links_nothing(
    app, client, auth, make_user, telegram_api, database
):
    member = make_user("Олена Коваль")
    auth.login(member)
    token = connect(client)
    with app.app_context():
        found = db.session.get(TelegramLinkToken, token)
        found.expires_at -= timedelta(minutes=16)
        db.session.commit()
    deliver(client, telegram_api, private_message(CHAT, f"/start {token}", language="en"))
    deliver(client, telegram_api, private_message(CHAT, "/start not-a-token", language="en"))
    assert database.count(TelegramLink) == 0
    replies = [m["text"] for m in telegram_api.sent(chat_id=CHAT)]
    assert len(replies) == 2 and all("expired or was already used" in r for r in replies)


def test_strangers_get_instructions_and_nothing_else(app, client, make_user, telegram_api):
    deliver(client, telegram_api, private_message(CHAT, "привіт"))
    deliver(client, telegram_api, private_message(CHAT, "/stop"))
    replies = telegram_api.sent(chat_id=CHAT)
    assert len(replies) == 2 and all("Підключити Telegram" in r["text"] for r in replies)
    # Kinds of update Spilno does not read: answered 200, nothing sent, nothing saved.
    group = {"message": {"chat": {"id": 5, "type": "group"}, "text": "/start x"}}
    for update in ({"edited_message": {"text": "x"}}, {"channel_post": {"text": "x"}}, group):
        assert deliver(client, telegram_api, update).status_code == 200
    assert len(telegram_api.sent()) == 2


def test_a_forged_webhook_call_is_refused(app, client, telegram_api):
    update = private_message(CHAT, "/start x")
    assert client.post(HOOK, json=update).status_code == 403  # no header
    wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
    assert client.post(HOOK, json=update, headers=wrong).status_code == 403
    assert client.post("/telegram/webhook/guess", json=update, headers=HEADERS).status_code == 403
    assert client.post(HOOK, data="not json", headers=HEADERS).status_code == 400
    assert telegram_api.sent() == []


def test_without_a_bot_telegram_is_hidden(app, client, auth, make_user):
    auth.login(make_user("Олена Коваль"))
    assert 'id="telegram"' not in client.get("/me").text
    assert client.post("/me/telegram/connect").status_code == 404
    assert client.post(HOOK, json={}, headers=HEADERS).status_code == 404


def test_disconnecting_from_the_site_and_from_the_chat(
    app, client, auth, make_user, telegram_api, database
):
    member = make_user("Олена Коваль")
    auth.login(member)
    deliver(client, telegram_api, private_message(CHAT, f"/start {connect(client)}"))
    client.post("/me/telegram/disconnect")
    assert database.count(TelegramLink) == 0
    assert "більше не пов'язаний" in telegram_api.sent(chat_id=CHAT)[-1]["text"]

    deliver(client, telegram_api, private_message(CHAT, f"/start {connect(client)}"))
    assert database.count(TelegramLink) == 1
    deliver(client, telegram_api, private_message(CHAT, "/stop"))
    assert database.count(TelegramLink) == 0
    assert "Підключити Telegram" in client.get("/me").text


def test_a_chat_moves_to_the_account_that_links_it_last(
    app, client, auth, make_user, telegram_api, database
):
    first, second = make_user("Перша Людина"), make_user("Друга Людина")
    auth.login(first)
    deliver(client, telegram_api, private_message(CHAT, f"/start {connect(client)}"))
    auth.logout()
    auth.login(second)
    deliver(client, telegram_api, private_message(CHAT, f"/start {connect(client)}"))
    [link] = database.all(TelegramLink)
    assert link.user_id == second.id  # one account per chat


def test_a_blocked_bot_marks_the_link_broken_and_me_says_so(
    app, client, auth, make_user, telegram_api, database
):
    member = make_user("Олена Коваль")
    auth.login(member)
    deliver(client, telegram_api, private_message(CHAT, f"/start {connect(client)}"))
    telegram_api.blocked.add(CHAT)
    deliver(client, telegram_api, private_message(CHAT, "що далі?"))  # the reply gets 403
    [link] = database.all(TelegramLink)
    assert link.broken_at is not None
    page = client.get("/me").text
    assert "telegram-broken" in page and "Підключити Telegram" in page


def test_set_webhook_tells_telegram_the_url_and_the_secret(app, runner, telegram_api):
    result = runner.invoke(args=["telegram", "set-webhook"])
    assert result.exit_code == 0, result.output
    assert telegram_api.webhook["url"] == f"http://spilno.test{HOOK}"
    assert telegram_api.webhook["secret_token"] == WEBHOOK_SECRET
    assert telegram_api.webhook["allowed_updates"] == ["message", "callback_query"]


def test_polling_links_a_chat_and_never_handles_an_update_twice(
    app, client, auth, runner, make_user, telegram_api, database
):
    member = make_user("Олена Коваль")
    auth.login(member)
    telegram_api.queue_update(private_message(CHAT, f"/start {connect(client)}"))
    telegram_api.queue_update(private_message(CHAT + 1, "привіт"))
    first = runner.invoke(args=["telegram", "poll", "--once"])
    assert first.exit_code == 0 and "Handled 2 updates." in first.output
    assert [lk.user_id for lk in database.all(TelegramLink)] == [member.id]
    again = runner.invoke(args=["telegram", "poll", "--once"])
    assert "Handled 0 updates." in again.output  # the offset moved past both
    assert (
        len(telegram_api.sent(chat_id=CHAT)) == 1 and len(telegram_api.sent(chat_id=CHAT + 1)) == 1
    )

    telegram_api.down = True
    down = runner.invoke(args=["telegram", "poll", "--once"])
    assert down.exit_code != 0 and "Telegram did not answer" in down.output


def test_the_commands_need_a_bot(app, runner):
    result = runner.invoke(args=["telegram", "poll", "--once"])
    assert result.exit_code != 0 and "TELEGRAM_BOT_TOKEN" in result.output
