"""The admin reads the demo community's dashboard in Chromium and changes the period."""

from datetime import timedelta

from playwright.sync_api import expect

from app.extensions import db
from app.models import User
from app.models.types import utcnow
from app.services import demo
from tests.e2e.conftest import log_in

DESKTOP = {"width": 1280, "height": 900}


def figure(page, block_id: str) -> str:
    return page.locator(f"#{block_id} .stat-box-number").inner_text()


def test_admin_changes_the_period_and_every_chart_is_drawn(
    app, browser, live_server, password_hash, screenshot
):
    with app.app_context():
        demo.seed_demo_community(members=300)
        admin = db.session.scalar(db.select(User).where(User.email == demo.ADMIN_EMAIL))
        admin.password_hash = password_hash  # the tests' cheap hash, same password as log_in's
        db.session.commit()

    page = log_in(browser, live_server, demo.ADMIN_EMAIL, "/dashboard", viewport=DESKTOP)
    expect(page.locator("h1")).to_have_text("Панель спільноти")
    expect(page.locator("#period-label")).to_contain_text("Останні 90 днів")
    quarter = {name: figure(page, name) for name in ("events-count", "members-joined")}

    page.get_by_role("link", name="Останні 365 днів").click()
    expect(page.locator("#period-label")).to_contain_text("Останні 365 днів")
    year = {name: figure(page, name) for name in ("events-count", "members-joined")}
    assert int(year["events-count"]) > int(quarter["events-count"])
    assert int(year["members-joined"]) > int(quarter["members-joined"])

    # Every chart is on the page and has something drawn in it, at a size one can see.
    charts = page.locator("svg.chart")
    expect(charts).to_have_count(8)  # 2 members, events, meetings, heatmap, newcomers, 2 feedback
    drawn = page.evaluate(
        """() => [...document.querySelectorAll('svg.chart')].map(svg => ({
            label: svg.getAttribute('aria-label'),
            width: svg.getBoundingClientRect().width,
            marks: [...svg.querySelectorAll('rect, circle')]
                .filter(mark => mark.getBBox().width > 0 && mark.getBBox().height > 0).length,
        }))"""
    )
    for chart in drawn:
        assert chart["width"] > 250 and chart["marks"] > 0, chart
    screenshot(page, "desktop-year")

    # Two dates: the last month only.
    today = utcnow().date()
    page.locator("#start").fill(str(today - timedelta(days=30)))
    page.locator("#end").fill(str(today))
    page.get_by_role("button", name="Показати").click()
    expect(page.locator("#period-label")).not_to_contain_text("Останні")
    assert int(figure(page, "events-count")) <= int(year["events-count"])
    assert page.locator("#start").input_value() == str(today - timedelta(days=30))
    screenshot(page, "desktop-month")
