"""Six attendees on their phones and a host: two live rounds, partners appear by themselves."""

import subprocess
from itertools import combinations

import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db
from app.models import MeetingMember, Registration, Round
from app.models.types import utcnow
from tests.e2e.conftest import log_in

PHONE = {"width": 390, "height": 844}


def round_groups(app, event_id, number):
    with app.app_context():
        round_id = db.session.scalar(
            sa.select(Round.id).where(Round.event_id == event_id, Round.number == number)
        )
        groups = {}
        for member in db.session.scalars(
            sa.select(MeetingMember).where(MeetingMember.round_id == round_id)
        ):
            groups.setdefault(member.meeting_id, []).append(member.user_id)
        return [tuple(sorted(g)) for g in groups.values()]


def test_two_rounds_and_a_kept_contact(
    app, browser, live_server, make_user, make_event, screenshot
):
    host = make_user("Ведуча Оксана", role="host")
    event = make_event(host=host, capacity=None)
    guests = [make_user(f"Гість {n}", contact=f"@guest_{n}") for n in range(6)]
    with app.app_context():
        for guest in guests:
            db.session.add(
                Registration(
                    event_id=event.id, user_id=guest.id, status="confirmed", checked_in_at=utcnow()
                )
            )
        db.session.commit()
    names = {g.id: g.name for g in guests}
    live_path = f"/events/{event.id}/live"
    phones = {g.id: log_in(browser, live_server, g.email, live_path) for g in guests}
    for page in phones.values():
        expect(page.get_by_text("Наступний раунд скоро почнеться")).to_be_visible()
        page.evaluate("window.notReloaded = true")

    console = log_in(browser, live_server, host.email, f"/events/{event.id}/rounds")
    seen = set()
    for number in (1, 2):
        console.get_by_role("button", name="Скласти наступний раунд").click()
        console.get_by_role("button", name=f"Опублікувати раунд {number}").click()
        expect(console.get_by_text("Раунд опубліковано")).to_be_visible()
        groups = round_groups(app, event.id, number)
        for group in groups:
            for pair in combinations(group, 2):
                assert pair not in seen, "round 2 repeats a pair from round 1"
                seen.add(pair)
        for group in groups:
            for person in group:
                panel = phones[person].locator("#live-panel")
                expect(panel).to_contain_text(f"Раунд {number}", timeout=10_000)
                for partner in group:
                    if partner != person:
                        expect(panel.locator(".partner-name")).to_contain_text(names[partner])
                assert phones[person].evaluate("window.notReloaded") is True
    screenshot(phones[guests[0].id], "partner")

    # Two partners of round 2 both choose to stay in touch, and see each other's contacts.
    first, second = next(g for g in groups if len(g) == 2)
    for person in (first, second):
        phones[person].get_by_role("button", name="Залишитися на зв'язку?").first.click()
        pressed = phones[person].get_by_role("button", name="На зв'язку ✓").first
        expect(pressed).to_have_attribute("aria-pressed", "true")  # the answer, shown saved
    phones[first].reload()
    other = next(g for g in guests if g.id == second)
    expect(phones[first].locator(".contact-reveal").first).to_contain_text(other.email)
    expect(phones[first].locator(".contact-reveal").first).to_contain_text(
        f"@guest_{guests.index(other)}"
    )
    screenshot(phones[first], "contact")
    screenshot(console, "console")


def long_named_evening(app, make_user, make_event, *, guests):
    """A host and an evening of checked-in guests whose names are as long as names get."""
    host = make_user("Ведуча Оксана", role="host")
    event = make_event(host=host, capacity=None)
    with app.app_context():
        for n in range(guests):
            guest = make_user(f"Костянтина-Олександра Довгопрізвищна-Шевченко {n}")
            db.session.add(
                Registration(
                    event_id=event.id, user_id=guest.id, status="confirmed", checked_in_at=utcnow()
                )
            )
        db.session.commit()
    return host, event


def test_the_projector_reads_from_the_back_of_the_room(
    app, browser, live_server, make_user, make_event, screenshot, tmp_path
):
    from app.services import rounds

    host, event = long_named_evening(app, make_user, make_event, guests=8)
    with app.app_context():
        published = rounds.draft_round(event.id, minutes=7)
        rounds.publish(event.id, published.id)
        db.session.commit()
    screen = log_in(browser, live_server, host.email, viewport={"width": 1920, "height": 1080})
    screen.goto(f"{live_server}/events/{event.id}/rounds/1/screen")
    names = screen.locator(".projector-names").first
    expect(names).to_contain_text("Довгопрізвищна")
    assert float(names.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 48
    assert screen.evaluate("document.documentElement.scrollWidth") <= 1920  # nothing runs off
    screenshot(screen, "projector")
    screen.locator(".projector-qr").screenshot(path=tmp_path / "live.png")
    read = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "live.png")], capture_output=True, text=True
    )
    assert read.stdout.strip() == f"http://spilno.test/events/{event.id}/live"
    expect(screen.get_by_text(f"spilno.test/events/{event.id}/live")).to_be_visible()


def test_the_console_fits_a_phone_with_long_names(
    app, browser, live_server, make_user, make_event, screenshot
):
    host, event = long_named_evening(app, make_user, make_event, guests=6)
    console = log_in(browser, live_server, host.email, f"/events/{event.id}/rounds")
    console.get_by_role("button", name="Скласти наступний раунд").click()
    expect(console.get_by_text("Чернетка: раунд 1")).to_be_visible()
    console.locator(".swap-form button").click()  # nobody chosen yet
    expect(console.get_by_text("Виберіть двох людей з різних столів")).to_be_visible()
    assert console.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(console, "console-phone")
