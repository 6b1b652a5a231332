"""Every page, as the least privileged role that may open it, checked by tools we did not
write: axe-core in Chromium, at phone width in Ukrainian and at desktop width in English (a
serious or critical violation fails), and the W3C Nu HTML checker in both languages (any
error fails). The messages name the rule, the page and the elements.

The HTML a page is made of does not depend on the database it was read from, so `make test`
runs these once, on SQLite (the `markup` mark), and the rest of the suite on both."""

import json
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from app.extensions import db, limiter
from app.models import User
from tests.conftest import PASSWORD, empty_all_tables
from tests.e2e.conftest import PHONE, serving
from tests.web.conftest import ROLES, build_world
from tests.web.test_access import OK, TABLE

ROOT = Path(__file__).resolve().parents[2]
AXE = (ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js").read_text()
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"  # `make test` installs it
DESKTOP = {"width": 1280, "height": 900}
pytestmark = pytest.mark.markup
WAYS = {"phone-uk": (PHONE, "uk"), "desktop-en": (DESKTOP, "en")}
# Files, not pages: a PDF, a calendar, a CSV.
NOT_PAGES = (".pdf", ".ics", ".csv", ".png", "/export", "/live/round", "/progress", "/healthz")


def pages():
    """(path, role, status): each GET route once, as the first role (least privileged) it is
    open to; the home page as every role, since the menu differs; and the error pages."""
    found = [("/", role, 200) for role in ROLES]
    for method, path, expected in TABLE:
        not_page = path.endswith(NOT_PAGES) or path.startswith("/pictures/")
        if method != "GET" or path == "/" or not_page or OK not in expected:
            continue
        found.append((path, ROLES[expected.index(OK)], 200))
    return [*found, ("/no-such-page", "member", 404), ("/dashboard", "member", 403)]


@pytest.fixture(scope="module")
def app(shared_app):
    """The shared app, with this module's world kept for all its tests."""
    with shared_app.app_context():
        empty_all_tables()
    yield shared_app
    with shared_app.app_context():
        empty_all_tables()
        db.engine.dispose()


_built = {}


@pytest.fixture
def world(app, make_user, make_sector, make_event):
    """Built once for the module: the pages are only read."""
    if "world" not in _built:
        _built["world"] = build_world(app, make_user, make_sector, make_event)
    return _built["world"]


@pytest.fixture(scope="module")
def server(app):
    with serving(app) as base:
        yield base


@pytest.fixture(scope="module")
def browsers(browser, server):
    """One browser context per (role, way), logged in once through the real form."""
    made = {}

    def context_for(world, role, way):
        if (role, way) not in made:
            viewport, lang = WAYS[way]
            context = browser.new_context(viewport=viewport)
            page = context.new_page()
            if role != "anonymous":
                page.goto(server + "/auth/login")
                page.locator("#email").fill(world["people"][role].email)
                page.locator("#password").fill(PASSWORD)
                page.press("#password", "Enter")
                page.wait_for_url(server + "/")
                limiter.reset()
            else:
                page.goto(server + "/")
                page.locator(f"button[name=lang][value={lang}]").click()
            made[role, way] = page
        return made[role, way]

    yield context_for
    for page in made.values():
        page.context.close()


def speak(app, world, role, lang):
    """A member's language is saved on the account; a guest's lives in the session."""
    if role == "anonymous":
        return
    with app.app_context():
        db.session.execute(
            sa.update(User).where(User.id == world["people"][role].id).values(locale=lang)
        )
        db.session.commit()


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize(
    ("path", "role", "status"), pages(), ids=[f"{p} {r}" for p, r, _ in pages()]
)
def test_no_serious_accessibility_problem(app, world, server, browsers, path, role, status, way):
    speak(app, world, role, WAYS[way][1])
    page = browsers(world, role, way)
    response = page.goto(server + path.format(**world["values"]))
    assert response.status == status
    assert page.locator("html").get_attribute("lang") == WAYS[way][1]
    page.evaluate(AXE)
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, "\n".join(serious)


def test_the_phone_menu_closes_on_escape(app, world, server, browsers):
    speak(app, world, "member", "uk")
    page = browsers(world, "member", "phone-uk")
    page.goto(server + "/")
    toggler = page.get_by_role("button", name="Меню")
    toggler.click()
    expect(page.locator("#nav")).to_have_class("navbar-collapse collapse show")  # fully open
    page.keyboard.press("Escape")
    expect(page.locator("#nav")).to_be_hidden()
    expect(toggler).to_be_focused()


def test_every_page_is_valid_html(app, world, tmp_path):
    if not VNU.exists():
        pytest.fail("The Nu HTML checker is missing: `make test` installs it (npm ci)")
    checked = {}
    for lang in ("uk", "en"):
        for role in ROLES:
            client = app.test_client()
            if role == "anonymous":
                client.post("/lang", data={"lang": lang})
            else:
                client.post(
                    "/auth/login", data={"email": world["people"][role].email, "password": PASSWORD}
                )
                speak(app, world, role, lang)
            for path, _, status in (page for page in pages() if page[1] == role):
                response = client.get(path.format(**world["values"]), follow_redirects=True)
                assert response.status_code == status, path
                name = f"page{len(checked)}.html"
                (tmp_path / name).write_bytes(response.data)
                checked[name] = f"{path} as {role} in {lang}"
        limiter.reset()
    run = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    errors = [
        f"{checked[Path(m['url']).name]}, line {m.get('lastLine')}: {m['message']}"
        f" ({m.get('extract', '').strip()})"
        for m in json.loads(run.stderr)["messages"]
    ]
    assert len(checked) == 2 * len(pages())
    assert not errors, "\n".join(errors)
