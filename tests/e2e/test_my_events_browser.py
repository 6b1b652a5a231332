"""On a phone: my events, and the ticket a host scans at the door, read back by zbar."""

import subprocess

from playwright.sync_api import expect

from app.extensions import db
from app.models import Registration
from tests.e2e.conftest import PHONE, log_in


def test_my_ticket_on_the_phone_scans_to_my_ticket_link(
    app, browser, live_server, make_user, make_event, screenshot, tmp_path
):
    member = make_user("Олена Квиткова")
    event = make_event(title="Вечір знайомств")
    with app.app_context():
        seat = Registration(event_id=event.id, user_id=member.id, status="confirmed")
        db.session.add(seat)
        db.session.commit()
        token = seat.ticket_token
    page = log_in(browser, live_server, member.email, "/")
    page.get_by_role("button", name="Меню").click()
    page.get_by_role("link", name="Мої події").click()
    expect(page.get_by_role("heading", name="Мої події")).to_be_visible()
    expect(page.get_by_text("✓ Ви йдете")).to_be_visible()
    page.get_by_text("Показати мій квиток").click()
    code = page.locator(".ticket-qr")
    expect(code).to_be_visible()
    assert code.bounding_box()["width"] >= 200  # large enough to scan from a phone's screen
    screenshot(page, "my-events")
    code.screenshot(path=tmp_path / "ticket.png")
    read = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "ticket.png")],
        capture_output=True,
        text=True,
    )
    assert read.stdout.strip() == f"http://spilno.test/t/{token}"


def test_on_a_phone_the_home_page_shows_the_next_event_in_the_first_screen(
    browser, live_server, make_event, screenshot
):
    make_event(title="Найближчий вечір")
    page = browser.new_context(viewport=PHONE, is_mobile=True).new_page()
    page.goto(live_server + "/")
    card = page.locator(".event-card").first
    expect(card).to_contain_text("Найближчий вечір")
    box = card.bounding_box()
    assert box["y"] + box["height"] / 2 < PHONE["height"], box  # seen without scrolling
    screenshot(page, "home-phone")
    page.context.close()
