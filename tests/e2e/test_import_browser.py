"""An admin brings a Google Forms export in through the browser: upload, preview, import."""

from playwright.sync_api import expect

from app.extensions import db
from app.models import Invitation
from app.models.types import utcnow
from app.services.imports import running
from tests.e2e.conftest import log_in
from tests.member_lists import GOOGLE_FORMS_HEADER, csv_bytes
from tests.web.test_import import a_forms_export_with_bad_rows


def test_an_admin_imports_a_forms_export_in_chromium(
    app, browser, live_server, make_user, database, screenshot, tmp_path
):
    admin = make_user("Олена Адмін", role="admin", email="admin@example.org")
    make_user("Наявна Учасниця", email="member@example.org")
    export = tmp_path / "responses.csv"
    export.write_bytes(csv_bytes(GOOGLE_FORMS_HEADER, a_forms_export_with_bad_rows()))

    page = log_in(browser, live_server, admin.email, viewport={"width": 1280, "height": 900})
    page.goto(live_server + "/community/import")
    page.get_by_label("Список учасників").set_input_files(str(export))
    page.get_by_role("button", name="Завантажити й переглянути").click()
    expect(page.locator("#will-invite")).to_have_text("196")
    expect(page.get_by_text("Це не адреса пошти: not-an-email")).to_be_visible()
    assert page.locator("#column-2").input_value() == "email"
    screenshot(page, "preview")
    page.get_by_role("button", name="Імпортувати й надіслати запрошення").click()
    expect(page.get_by_text("Імпорт розпочато")).to_be_visible()

    with app.app_context():  # the worker's pass
        running.run_waiting(utcnow())
        db.session.commit()
    # The page asks for its progress by itself, and shows the end.
    expect(page.get_by_text("Готово.")).to_be_visible(timeout=30_000)
    expect(page.locator(".import-counts")).to_contain_text("196")
    assert database.count(Invitation) == 196
