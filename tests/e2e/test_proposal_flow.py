"""A member proposes an event with a cover; an admin approves it; the member publishes it as a
co-host with a question on the form; another member registers answering it; the CSV holds it."""

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from app.models import Event
from app.models.types import utcnow
from tests.e2e.conftest import log_in
from tests.pictures import sample_picture


def test_a_proposal_becomes_an_event_people_register_for(
    browser, live_server, make_user, database, screenshot, tmp_path
):
    proposer = make_user("Ірина Коваль")
    admin = make_user("Олена Адмін", role="admin")
    guest = make_user("Богдан Мороз", email="bohdan@example.org")
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(sample_picture((2400, 1600), format="JPEG"))

    # The member proposes an event with a cover picture.
    page = log_in(browser, live_server, proposer.email)
    page.goto(live_server + "/events/")
    page.get_by_role("link", name="Запропонувати подію").click()
    start = (utcnow() + timedelta(days=9)).astimezone(ZoneInfo("Europe/Kyiv"))
    page.locator("#title").fill("Прогулянка Подолом")
    page.get_by_label("Початок").fill(start.strftime("%Y-%m-%dT11:00"))
    page.get_by_label("Кінець").fill(start.strftime("%Y-%m-%dT13:00"))
    page.get_by_label("Місце", exact=True).fill("Контрактова площа")
    page.get_by_label("Місто").fill("Київ")
    page.get_by_label("Обкладинка").set_input_files(str(cover))
    page.get_by_role("button", name="Надіслати пропозицію").click()
    expect(page.get_by_text("Пропозицію надіслано")).to_be_visible()
    expect(page.locator("img.event-cover")).to_be_visible()
    [event] = database.all(Event)
    assert event.status == "proposed" and event.cover

    # The admin approves it from the queue.
    admin_page = log_in(browser, live_server, admin.email, viewport={"width": 1280, "height": 900})
    admin_page.goto(live_server + "/events/proposals")
    expect(admin_page.get_by_text("Ірина Коваль")).to_be_visible()
    screenshot(admin_page, "queue")
    admin_page.get_by_role("button", name="Схвалити").click()
    expect(admin_page.get_by_text("Схвалено")).to_be_visible()

    # The proposer, now a co-host, adds a required question and publishes.
    page.goto(f"{live_server}/events/{event.id}/questions")
    page.locator("#text").fill("Яка ваша роль?")
    page.get_by_label("Відповідь обов'язкова").check()
    page.get_by_role("button", name="Додати запитання").click()
    expect(page.get_by_text("Запитання додано")).to_be_visible()
    page.goto(f"{live_server}/events/{event.id}")
    page.get_by_role("button", name="Опублікувати", exact=True).click()
    expect(page.get_by_text("Подію опубліковано.")).to_be_visible()

    # Another member registers: first without the answer, then with it.
    other = log_in(browser, live_server, guest.email)
    other.goto(f"{live_server}/events/{event.id}")
    other.get_by_role("button", name="Зареєструватися").click()
    expect(other.get_by_text("Будь ласка, дайте відповідь на це запитання.")).to_be_visible()
    other.get_by_label("Яка ваша роль?").fill("Історик")
    screenshot(other, "answering")
    other.get_by_role("button", name="Зареєструватися").click()
    expect(other.get_by_text("Ви йдете")).to_be_visible()

    # The co-host downloads the attendee CSV: the answer is in it.
    with page.expect_download() as download:
        page.goto(f"{live_server}/events/{event.id}/attendees")
        page.get_by_role("link", name="Завантажити CSV").click()
    text = download.value.path().read_bytes().decode("utf-8-sig")
    [row] = csv.DictReader(io.StringIO(text))
    assert row["Електронна пошта"] == "bohdan@example.org" and row["Яка ваша роль?"] == "Історик"
