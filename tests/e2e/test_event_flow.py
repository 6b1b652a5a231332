"""A host fills one seat twice over: register, waitlist, cancel, promotion, door check-in."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from ical.calendar_stream import IcsCalendarStream
from playwright.sync_api import expect

from app.models import Event, OutboxMessage, Registration
from app.models.types import utcnow
from tests.e2e.conftest import log_in


def test_one_seat_two_members(browser, live_server, make_user, database, screenshot):
    phone = {"width": 390, "height": 844}
    host = make_user("Ірина Ведуча", role="host")
    member_a = make_user("Андрій Перший")
    member_b = make_user("Богдана Друга")

    # The host creates and publishes an event with one seat.
    page = log_in(browser, live_server, host.email, viewport=phone)
    page.goto(live_server + "/events/new")
    start = (utcnow() + timedelta(days=5)).astimezone(ZoneInfo("Europe/Kyiv"))
    page.locator("#title").fill("Вечір на одне місце")
    page.get_by_label("Початок").fill(start.strftime("%Y-%m-%dT18:30"))
    page.get_by_label("Кінець").fill(start.strftime("%Y-%m-%dT20:00"))
    page.get_by_label("Місце", exact=True).fill("Книгарня Є")
    page.get_by_label("Місто").fill("Київ")
    page.get_by_label("Місць").fill("1")
    screenshot(page, "event-form")
    page.get_by_role("button", name="Зберегти як чернетку").click()
    expect(page.get_by_text("Чернетка: цю сторінку бачать лише організатори.")).to_be_visible()
    page.get_by_role("button", name="Опублікувати").click()
    expect(page.get_by_text("Подію опубліковано.")).to_be_visible()
    [event] = database.all(Event)
    event_url = f"{live_server}/events/{event.id}"

    # Member A takes the seat; the outbox holds the confirmation with a valid invitation.
    page_a = log_in(browser, live_server, member_a.email, viewport=phone)
    page_a.goto(event_url)
    expect(page_a.locator("#seats")).to_contain_text("Залишилося 1 місце")
    page_a.get_by_role("button", name="Зареєструватися").click()
    expect(page_a.get_by_text("Ви йдете")).to_be_visible()
    screenshot(page_a, "registered")
    [confirmation] = database.all(OutboxMessage, OutboxMessage.to == member_a.email)
    assert confirmation.ics_method == "REQUEST"
    invitation = IcsCalendarStream.calendar_from_ics(confirmation.ics)
    assert invitation.events[0].summary == "Вечір на одне місце"
    assert invitation.events[0].uid == event.uid

    # Member B joins the waitlist.
    page_b = log_in(browser, live_server, member_b.email, viewport=phone)
    page_b.goto(event_url)
    expect(page_b.get_by_text("Усі місця зайняті.")).to_be_visible()
    page_b.get_by_role("button", name="Стати в список очікування").click()
    expect(page_b.get_by_text("Ви в списку очікування", exact=True)).to_be_visible()

    # A cancels; B is confirmed and emailed.
    page_a.get_by_role("button", name="Скасувати мою реєстрацію").click()
    expect(page_a.get_by_text("Вашу реєстрацію скасовано.")).to_be_visible()
    [seat_b] = database.all(Registration, Registration.user_id == member_b.id)
    assert seat_b.status == "confirmed"
    promoted = database.all(OutboxMessage, OutboxMessage.to == member_b.email)
    assert promoted[-1].ics_method == "REQUEST"
    assert "звільнилося місце" in promoted[-1].text_body
    page_b.reload()
    expect(page_b.get_by_text("Ви йдете")).to_be_visible()

    # At the door the host checks B in with one tap, without a page reload.
    page.goto(event_url + "/attendees")
    page.evaluate("window.stillTheSamePage = true")
    row = page.locator(f"#reg-{seat_b.id}")
    row.get_by_role("button", name="Відмітити").click()
    expect(page.locator(f"#reg-{seat_b.id}")).to_have_class(re.compile("is-checked-in"))
    assert page.evaluate("window.stillTheSamePage") is True
    expect(page.locator("#count-checked-in")).to_have_text("1")
    screenshot(page, "attendees")
    assert database.get(Registration, seat_b.id).checked_in_at is not None

    # B's ticket link, scanned again, says so.
    page.goto(f"{live_server}/t/{seat_b.ticket_token}")
    expect(page.locator("h1")).to_contain_text("Уже відмічено о")
    screenshot(page, "ticket")
