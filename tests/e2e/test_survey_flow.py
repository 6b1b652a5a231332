"""A host makes the after-the-event survey; two attendees answer from their emails on phones."""

import csv
import io
import re
from datetime import timedelta

from playwright.sync_api import expect

from app.extensions import db
from app.models import Registration
from app.models.types import utcnow
from app.services import surveys
from tests.e2e.conftest import log_in

PHONE = {"width": 390, "height": 844}


def test_template_survey_answered_from_emails(
    app, browser, live_server, make_user, make_event, deliver, screenshot
):
    host = make_user("Ведуча Ірина", role="host")
    start = utcnow() - timedelta(hours=3)
    event = make_event(host=host, starts_at=start, ends_at=start + timedelta(hours=2))
    guests = [make_user("Олена Перша"), make_user("Тарас Другий")]
    with app.app_context():
        for guest in guests:
            db.session.add(
                Registration(
                    event_id=event.id, user_id=guest.id, status="confirmed", checked_in_at=start
                )
            )
        db.session.commit()

    page = log_in(browser, live_server, host.email, f"/events/{event.id}/surveys")
    page.locator("#title").fill("Як пройшов вечір?")
    page.get_by_role("button", name="Створити опитування").click()
    expect(page.locator(".question-item")).to_have_count(5)
    page.get_by_role("button", name="Запланувати запрошення").click()
    expect(page.get_by_text("Заплановано: запрошення підуть")).to_be_visible()
    survey_id = int(re.search(r"/surveys/(\d+)/edit", page.url).group(1))

    with app.app_context():  # the worker's pass
        assert surveys.invitations.send_due_invitations(utcnow()) == 2
        db.session.commit()
    links = {}
    for message in deliver():
        text = message.get_body(("plain",)).get_content()
        links[message["To"]] = re.search(r"http://spilno\.test(/surveys/\S+)", text).group(1)

    for guest, (rating, nps, valuable) in zip(
        guests, [(5, 10, "Нові знайомства"), (4, 6, "Кава")], strict=True
    ):
        phone = browser.new_context(viewport=PHONE).new_page()  # straight from the email, no login
        phone.goto(live_server + links[guest.email])
        phone.get_by_role("button", name="Надіслати відповіді").click()
        expect(
            phone.get_by_text("Будь ласка, дайте відповідь на це запитання.").first
        ).to_be_visible()
        screenshot(phone, f"needs-answers-{rating}")
        # Each question is a group named by its text, described by its scale and its problem.
        first = phone.get_by_role("group", name="Як ви загалом оцінюєте подію? (обов'язково)")
        expect(first).to_have_accessible_description(
            "погано чудово Будь ласка, дайте відповідь на це запитання."
        )
        expect(first.get_by_role("radio", name="3")).to_have_attribute("aria-invalid", "true")
        first.locator(f"label:text-is('{rating}')").click()  # the 1–5 rating
        expect(first.get_by_role("radio", name=str(rating))).to_be_checked()
        phone.locator("fieldset").nth(1).locator(f"label:text-is('{nps}')").click()
        phone.locator("fieldset").nth(2).locator("textarea").fill(valuable)
        phone.get_by_label("Так").check()
        phone.get_by_role("button", name="Надіслати відповіді").click()
        expect(phone.get_by_role("heading", name="Дякуємо!")).to_be_visible()

    page.goto(f"{live_server}/surveys/{survey_id}/results")
    expect(page.locator("#response-count")).to_have_text("2 / 2")
    expect(page.locator(".average").first).to_have_text("4.5")
    expect(page.locator(".nps-score")).to_have_text("0")
    screenshot(page, "results")
    response = page.request.get(f"{live_server}/surveys/{survey_id}/results.csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    assert sorted(r["Як ви загалом оцінюєте подію?"] for r in rows) == ["4", "5"]
    assert sorted(r["Що було для вас найціннішим?"] for r in rows) == ["Кава", "Нові знайомства"]
