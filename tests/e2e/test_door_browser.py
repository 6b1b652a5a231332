"""Door mode with Chromium's fake camera playing a video of a ticket: the page reads the
code and checks the person in, and says so in large type."""

import io

import segno
from PIL import Image
from playwright.sync_api import expect

from app.extensions import db
from app.models import Registration
from tests.e2e.conftest import CHROMIUM, CHROMIUM_FLAGS, log_in


def ticket_video(link: str, path) -> None:
    """A few frames of the ticket's code as a camera would see it (YUV4MPEG2, 4:2:0): the
    grey picture is the luma plane, the colour planes are neutral."""
    png = io.BytesIO()
    segno.make(link, error="m").save(png, kind="png", scale=8, border=6)
    code = Image.open(png).convert("L")
    frame = Image.new("L", (640, 480), 235)
    frame.paste(code.resize((400, 400)), (120, 40))
    luma = frame.tobytes()
    neutral = bytes([128]) * (640 * 480 // 4)
    with open(path, "wb") as video:
        video.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            video.write(b"FRAME\n" + luma + neutral + neutral)


def test_the_door_reads_a_ticket_from_the_camera_and_checks_it_in(
    app, playwright, live_server, make_user, make_event, database, screenshot, tmp_path
):
    host = make_user("Ірина Ведуча", role="host")
    guest = make_user("Андрій Гість")
    event = make_event(host=host)
    with app.app_context():
        seat = Registration(event_id=event.id, user_id=guest.id, status="confirmed")
        db.session.add(seat)
        db.session.commit()
        token, seat_id = seat.ticket_token, seat.id
    ticket_video(f"http://spilno.test/t/{token}", tmp_path / "ticket.y4m")
    camera = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={tmp_path / 'ticket.y4m'}",
    ]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_FLAGS, *camera])
    try:
        page = log_in(browser, live_server, host.email, f"/events/{event.id}/attendees")
        page.get_by_role("link", name="Сканувати квитки на вході").click()
        result = page.locator(".door-result")
        expect(result).to_have_attribute("data-outcome", "checked_in", timeout=15000)
        expect(result).to_contain_text("Відмічено")
        expect(result).to_contain_text("Андрій Гість")
        screenshot(page, "door")
    finally:
        browser.close()
    assert database.get(Registration, seat_id).checked_in_at is not None
