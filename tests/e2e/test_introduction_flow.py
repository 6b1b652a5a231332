"""A member asks to meet someone; the community manager sends the introduction on from the
queue; the other person says yes from the link in their mail; both see each other's contacts."""

import re
from urllib.parse import urlsplit

from playwright.sync_api import expect

from app.models import Introduction, OutboxMessage
from tests.e2e.conftest import log_in


def test_an_introduction_from_request_to_contacts(
    browser, live_server, make_user, database, screenshot
):
    olena = make_user("Олена Коваль", contact="@olena_k")
    petro = make_user("Петро Шевчук", contact="@petro_s")
    admin = make_user("Марія Менеджерка", role="admin")

    # Olena asks, from Petro's page.
    page = log_in(browser, live_server, olena.email)
    page.goto(f"{live_server}/members/{petro.id}")
    page.get_by_text("Хочу познайомитися: Петро Шевчук").click()
    page.get_by_label("Чому ви хочете познайомитися?").fill("Шукаю ментора з фандрейзингу.")
    page.get_by_role("button", name="Попросити ком'юніті-менеджера").click()
    expect(page.get_by_text("Ваш запит передано ком'юніті-менеджерові.")).to_be_visible()

    # The community manager sends it on from the queue, on a desktop.
    desk = log_in(browser, live_server, admin.email, viewport={"width": 1280, "height": 900})
    desk.goto(f"{live_server}/people/introductions")
    expect(desk.get_by_text("Шукаю ментора з фандрейзингу.")).to_be_visible()
    desk.get_by_role("link", name="Познайомити їх").click()
    expect(desk.get_by_text("Олена Коваль попросили про це знайомство.")).to_be_visible()
    desk.get_by_label("Чому їм варто познайомитися?").fill(
        "Олена шукає ментора, Петро давно робить фандрейзинг."
    )
    screenshot(desk, "compose")
    desk.get_by_role("button", name="Надіслати знайомство").click()
    expect(desk.get_by_text("Знайомство надіслано обом.")).to_be_visible()

    # Petro opens the "yes" link from his mail: the answer is chosen, and saved on the button.
    [mail] = database.all(OutboxMessage, OutboxMessage.to == petro.email)
    yes = next(u for u in re.findall(r"https?://\S+", mail.text_body) if "answer=yes" in u)
    parts = urlsplit(yes)
    phone = browser.new_page(viewport={"width": 390, "height": 844})
    phone.goto(f"{live_server}{parts.path}?{parts.query}")
    expect(phone.get_by_text("Вашу відповідь обрано нижче.")).to_be_visible()
    screenshot(phone, "answer")
    phone.get_by_role("button", name="Так, познайомте нас").click()
    expect(phone.get_by_text("Ви обоє сказали «так».")).to_be_visible()
    expect(phone.get_by_text("@olena_k")).to_be_visible()
    [introduction] = database.all(Introduction)
    assert introduction.status == "accepted"

    # Olena sees Petro's contacts among her introductions.
    page.goto(f"{live_server}/me/introductions")
    expect(page.get_by_text("Вас познайомлено")).to_be_visible()
    page.get_by_role("link", name="Контакти").click()
    expect(page.get_by_text("@petro_s")).to_be_visible()
    phone.close()
