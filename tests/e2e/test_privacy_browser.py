"""What a member and a host see of the privacy and mail fixes, in a real Chromium."""

import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import OutboxMessage, Registration
from app.models.types import utcnow
from app.services import coffee
from tests.e2e.conftest import log_in

LONG_EMAIL = "olena.kovalenko-shevchenko.community-manager@very-long-organisation-name.example.org"


def test_the_coffee_introduction_fits_a_320_px_screen(app, browser, make_user, screenshot):
    sharer = make_user("Олена Коваленко-Шевченко", email=LONG_EMAIL)
    other = make_user("Тарас Бондаренко")
    with app.app_context():
        for person in (sharer, other):
            coffee.subscribe(
                db.session.get(type(person), person.id),
                frequency="weekly",
                format="online",
                paused_until=None,
                share_contact=True,
            )
        coffee.run_coffee_round(utcnow())
        db.session.commit()
        intro = db.session.scalar(
            sa.select(OutboxMessage).where(
                OutboxMessage.to == other.email, OutboxMessage.dedupe_key.like("coffee-intro%")
            )
        )
    page = browser.new_context(viewport={"width": 320, "height": 640}).new_page()
    page.set_content(intro.html_body)
    expect(page.get_by_text(LONG_EMAIL)).to_be_visible()
    screenshot(page, "coffee-intro-320")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_the_coffee_opt_in_says_what_a_partner_sees(browser, live_server, make_user, screenshot):
    member = make_user("Марія Бойко")
    page = log_in(browser, live_server, member.email, path="/coffee")
    sharing = page.get_by_label("Показувати мою пошту й контакт партнерам у знайомстві")
    expect(sharing).not_to_be_checked()  # private until the member chooses
    expect(page.get_by_text("Партнери завжди бачать ваше ім’я")).to_be_visible()
    screenshot(page, "coffee-opt-in")


def test_a_host_scans_a_ticket_and_checks_in_with_a_button(
    app, browser, live_server, make_user, make_event, database, screenshot
):
    host = make_user("Ірина Ведуча", role="host")
    member = make_user("Андрій Гість")
    event = make_event(host=host)
    with app.app_context():
        seat = Registration(event_id=event.id, user_id=member.id, status="confirmed")
        db.session.add(seat)
        db.session.commit()
        token, seat_id = seat.ticket_token, seat.id
    page = log_in(browser, live_server, host.email, path=f"/t/{token}")
    expect(page.get_by_role("heading", name="Підтверджено: відмітити?")).to_be_visible()
    assert database.get(Registration, seat_id).checked_in_at is None  # opening changes nothing
    screenshot(page, "ticket-before")
    page.get_by_role("button", name="Відмітити").click()
    expect(page.get_by_role("heading", name="Відмічено")).to_be_visible()
    assert database.get(Registration, seat_id).checked_in_at is not None
    screenshot(page, "ticket-after")


def test_unsubscribing_from_a_mail_link(app, browser, live_server, make_user, screenshot):
    from app.services.preferences import unsubscribe_url

    member = make_user("Марія Бойко")
    with app.app_context():
        link = unsubscribe_url(member.id, "surveys").replace("http://spilno.test", live_server)
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(link)
    expect(page.get_by_role("heading", name="Відписатися?")).to_be_visible()
    screenshot(page, "unsubscribe-ask")
    page.get_by_role("button", name="Відписатися").click()
    expect(page.get_by_role("heading", name="Ви відписалися")).to_be_visible()
    screenshot(page, "unsubscribe-done")
