"""A real Chromium (Debian's) driven by Playwright against the app served in a thread."""

import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@contextmanager
def serving(app):
    """The app on a free port in a thread, stopped on the way out, pass or fail."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def live_server(app):
    with serving(app) as base:
        yield base


@pytest.fixture(scope="session")
def playwright():
    """One Playwright for the session: a test that needs a Chromium of its own (other flags)
    launches it from here."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
    yield browser
    browser.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    yield page
    context.close()
    assert not errors, f"the page reported errors: {errors}"


@pytest.fixture
def screenshot(request):
    def take(page, name):
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{request.node.name}-{name}.png", full_page=True)

    return take


def log_in(browser, live_server, email, path=None, viewport=PHONE):
    """A new browser of its own, logged in through the real form (then at `path`)."""
    from playwright.sync_api import expect

    from app.extensions import limiter
    from tests.conftest import PASSWORD

    page = browser.new_context(viewport=viewport).new_page()
    page.goto(live_server + "/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text("Вітаємо")
    limiter.reset()  # several people log in from one address in these tests, on purpose
    if path:
        page.goto(live_server + path)
    return page
