"""Who may use each route: every route × anonymous, member, host, admin."""

import re

import pytest

from app.extensions import db, limiter
from tests.conftest import empty_all_tables
from tests.web.conftest import ROLES, build_world

OK, LOGIN, FORBIDDEN, HOME, NOT_FOUND = "ok", "login", "forbidden", "home", "not found"

# (method, path, expected outcome for anonymous, member, host, admin)
TABLE = [
    ("GET", "/", (OK, OK, OK, OK)),
    ("GET", "/healthz", (OK, OK, OK, OK)),
    ("POST", "/lang", (HOME, HOME, HOME, HOME)),
    ("GET", "/{policy}", (OK, OK, OK, OK)),
    ("GET", "/consent", (LOGIN, OK, OK, OK)),
    ("POST", "/consent", (LOGIN, OK, OK, OK)),
    ("GET", "/pictures/{cover}/{size}", (OK, OK, OK, OK)),
    ("GET", "/auth/signup", (OK, HOME, HOME, HOME)),
    ("POST", "/auth/signup", (OK, HOME, HOME, HOME)),
    ("GET", "/auth/login", (OK, HOME, HOME, HOME)),
    ("POST", "/auth/login", (OK, HOME, HOME, HOME)),
    ("POST", "/auth/logout", (LOGIN, HOME, HOME, HOME)),
    ("GET", "/auth/reset", (OK, OK, OK, OK)),
    ("POST", "/auth/reset", (OK, OK, OK, OK)),
    ("GET", "/auth/reset/sent", (OK, OK, OK, OK)),
    ("GET", "/auth/reset/{token}", (OK, OK, OK, OK)),
    # The signed link is the credential; confirming an address leads home.
    ("GET", "/auth/confirm/{confirm_token}", (OK, OK, OK, OK)),
    ("POST", "/auth/confirm/{confirm_token}", (HOME, HOME, HOME, HOME)),
    ("POST", "/auth/confirm/again", (LOGIN, HOME, HOME, HOME)),
    ("POST", "/auth/reset/{token}", (OK, OK, OK, OK)),
    ("GET", "/members/", (LOGIN, OK, OK, OK)),
    ("GET", "/members/{other}", (LOGIN, OK, OK, OK)),
    ("GET", "/me", (LOGIN, OK, OK, OK)),
    ("POST", "/me", (LOGIN, OK, OK, OK)),
    ("GET", "/me/events", (LOGIN, OK, OK, OK)),
    ("GET", "/me/export", (LOGIN, OK, OK, OK)),
    ("GET", "/me/delete", (LOGIN, OK, OK, OK)),
    ("GET", "/me/preferences", (LOGIN, OK, OK, OK)),
    ("POST", "/me/preferences", (LOGIN, OK, OK, OK)),
    # The signed link from a mail is the credential: anyone holding it may use it.
    ("GET", "/unsubscribe/{unsubscribe}", (OK, OK, OK, OK)),
    ("POST", "/unsubscribe/{unsubscribe}", (OK, OK, OK, OK)),
    ("POST", "/me/delete", (LOGIN, OK, OK, OK)),
    ("GET", "/events/", (OK, OK, OK, OK)),
    ("GET", "/events/{event}", (OK, OK, OK, OK)),
    ("GET", "/events/{event}.ics", (OK, OK, OK, OK)),
    ("GET", "/events/{draft}", (NOT_FOUND, NOT_FOUND, OK, OK)),
    ("GET", "/events/new", (LOGIN, FORBIDDEN, OK, OK)),
    # Any member proposes; a proposal is its proposer's and the deciders' only.
    ("GET", "/events/propose", (LOGIN, OK, OK, OK)),
    ("POST", "/events/propose", (LOGIN, OK, OK, OK)),
    ("GET", "/events/{proposal}", (NOT_FOUND, OK, OK, OK)),
    ("GET", "/events/{proposal}/proposal", (LOGIN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/events/{proposal}/proposal", (LOGIN, OK, FORBIDDEN, FORBIDDEN)),
    ("GET", "/events/proposals", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{proposal}/proposal/approve", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{proposal}/proposal/decline", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/new", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/events/{event}/edit", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/edit", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/publish", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/duplicate", (LOGIN, FORBIDDEN, OK, OK)),
    # A published event is not deleted (it is cancelled): hosts are told so, and stay.
    ("POST", "/events/{event}/delete", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{draft}/delete", (NOT_FOUND, NOT_FOUND, OK, OK)),
    ("POST", "/events/{event}/cancel", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/register", (LOGIN, OK, OK, OK)),
    ("POST", "/events/{event}/unregister", (LOGIN, OK, OK, OK)),
    ("GET", "/events/{event}/attendees", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/events/{event}/questions", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/questions", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/questions/{event_question}/remove", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/questions/{event_question}/move", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/events/{event}/door", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/door", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/door/walk-in", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/events/{event}/attendees.csv", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/attendees/check-in", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/attendees/{seat}/check-in", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/attendees/{seat}/undo", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/attendees/{seat}/approve", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/attendees/approve", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/attendees/{seat}/reject", (LOGIN, FORBIDDEN, OK, OK)),
    # The ticket's token is the credential: its picture goes in the confirmation mail.
    ("GET", "/t/{ticket}/code.png", (OK, OK, OK, OK)),
    ("GET", "/t/{ticket}", (LOGIN, OK, OK, OK)),
    ("POST", "/t/{ticket}", (LOGIN, OK, OK, OK)),
    ("GET", "/calendar/{calendar}.ics", (OK, OK, OK, OK)),
    ("POST", "/calendar/reset", (LOGIN, OK, OK, OK)),
    ("GET", "/events/{event}/rounds", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/rounds/draft", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/rounds/{draft_round}/swap", (LOGIN, FORBIDDEN, OK, OK)),
    (
        "POST",
        "/events/{event}/rounds/{draft_round}/pin/{draft_meeting}",
        (LOGIN, FORBIDDEN, OK, OK),
    ),
    ("POST", "/events/{event}/rounds/{draft_round}/publish", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/rounds/{draft_round}/close", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/rounds/present/{seat}", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/events/{event}/rounds/{round_number}/screen", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/events/{event}/live", (LOGIN, OK, OK, OK)),
    # Whether a published event's round changed is no secret: the phones ask it often.
    ("GET", "/events/{event}/live/round", (OK, OK, OK, OK)),
    ("GET", "/events/{draft}/live/round", (NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    ("GET", "/coffee", (LOGIN, OK, OK, OK)),
    ("POST", "/coffee", (LOGIN, OK, OK, OK)),
    ("POST", "/coffee/leave", (LOGIN, OK, OK, OK)),
    ("GET", "/meetings/{meeting}/feedback", (LOGIN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/meetings/{meeting}/feedback", (LOGIN, OK, FORBIDDEN, FORBIDDEN)),
    ("POST", "/members/{other}/block", (LOGIN, OK, OK, OK)),
    # The team's notes: hosts and admins; a note is changed by its author only (the admin's
    # here: a host is told so).
    ("POST", "/members/{other}/notes", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/members/notes/{note}", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/members/notes/{note}/delete", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/admin/coffee", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/coffee", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/events/{event}/surveys", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/surveys", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/surveys/thanks", (OK, OK, OK, OK)),
    ("GET", "/surveys/", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/surveys/", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/surveys/{survey}/edit", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/surveys/{survey}/edit", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/surveys/{survey}/questions/{question}", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/surveys/{survey}/schedule", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/surveys/{survey}/results", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/surveys/{survey}/results.csv", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/surveys/{pulse}/results", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    # Answering: the event survey is for its checked-in attendees (the member, here).
    ("GET", "/surveys/{survey}", (LOGIN, OK, OK, OK)),
    ("POST", "/surveys/{survey}", (LOGIN, OK, OK, OK)),
    ("GET", "/events/{event}/cards", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/events/{event}/cards.pdf", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/events/{event}/cards/jobs", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/events/{event}/cards/jobs/{job}", (LOGIN, FORBIDDEN, OK, OK)),
    # The job is still waiting: there is no file yet, even for its hosts.
    ("GET", "/events/{event}/cards/jobs/{job}.pdf", (LOGIN, FORBIDDEN, NOT_FOUND, NOT_FOUND)),
    ("GET", "/me/card.pdf", (LOGIN, OK, OK, OK)),
    ("GET", "/dashboard", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/dashboard/{block}.csv", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/admin/", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/users/{other}/role", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/admin/sectors", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/sectors", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/admin/sectors/{sector}", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/sectors/{sector}", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/sectors/{sector}/remove", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/admin/settings", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/community/import", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/community/import", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/community/import/{member_import}", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/community/import/{member_import}", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/community/import/{member_import}/progress", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/community/invitations/resend", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/community/messages", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/community/messages/new", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/community/messages/new", (LOGIN, FORBIDDEN, OK, OK)),
    # A message's delivery is for its author and the admins.
    ("GET", "/community/messages/{message}", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/announcements", (LOGIN, OK, OK, OK)),
    ("GET", "/community/segments", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/people/attention", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/people/{other}/invite", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/people/{other}/write", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/people/{other}/write", (LOGIN, FORBIDDEN, OK, OK)),
    # Introductions: the team's queue and composer; the answer page is for the two people in
    # it only (the member, here), and does not exist for anyone else.
    ("GET", "/people/introductions", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/people/introductions/new", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/people/introductions/new", (LOGIN, FORBIDDEN, OK, OK)),
    ("POST", "/people/introductions/{introduction}/dismiss", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/people/introductions/{introduction}/answer", (NOT_FOUND, OK, NOT_FOUND, NOT_FOUND)),
    ("POST", "/people/introductions/{introduction}/answer", (NOT_FOUND, OK, NOT_FOUND, NOT_FOUND)),
    ("POST", "/members/{other}/meet", (LOGIN, OK, OK, OK)),
    ("GET", "/me/introductions", (LOGIN, OK, OK, OK)),
    ("GET", "/people/report", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/people/report.pdf", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/people/report.csv", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/admin/levels", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    # Telegram, with no bot configured here: hidden from everyone (tests/web/test_telegram_*
    # cover it with a bot). The webhook's credential is its secret, not a session.
    ("POST", "/telegram/webhook/{telegram_secret}", (NOT_FOUND,) * 4),
    ("POST", "/me/telegram/connect", (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    ("POST", "/me/telegram/disconnect", (LOGIN, NOT_FOUND, NOT_FOUND, NOT_FOUND)),
    ("POST", "/admin/levels", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/community/segments", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/community/segments/{segment}", (LOGIN, FORBIDDEN, OK, OK)),
    ("GET", "/community/segments/{segment}.csv", (LOGIN, FORBIDDEN, OK, OK)),
    # The invitation's token is the credential; a signed-in person is sent home.
    ("GET", "/auth/invitation/{invitation}", (OK, HOME, HOME, HOME)),
    ("POST", "/auth/invitation/{invitation}", (OK, HOME, HOME, HOME)),
    ("POST", "/admin/settings", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/settings/policies", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
]
# Static files are public by nature and need no row.
PUBLIC_FILES = {"static", "bootstrap.static"}


def outcome(response) -> str:
    if response.status_code == 404:
        return NOT_FOUND
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 302 and response.location.startswith("/auth/login"):
        return LOGIN
    if response.status_code == 302 and response.location == "/":
        return HOME
    if response.status_code in (200, 302):
        return OK
    return f"unexpected {response.status_code}"


@pytest.fixture(scope="module")
def kept_tables(shared_app):
    """The tables of this module's world, emptied before its first test and after its last."""
    with shared_app.app_context():
        empty_all_tables()
    yield
    with shared_app.app_context():
        empty_all_tables()
        db.engine.dispose()


@pytest.fixture
def app(shared_app, kept_tables):
    """The shared app, keeping its tables between the tests of this module."""
    with shared_app.app_context():
        limiter.reset()
    return shared_app


_built = {}


REFUSED = (LOGIN, FORBIDDEN, NOT_FOUND)


@pytest.fixture
def world(request, app, make_user, make_sector, make_event):
    """Built once and kept while it cannot have changed: after a GET, or a POST that was
    refused (sent to log in, 403, 404: a view checks who asks before it changes anything).
    After a POST that was let through, the next test builds it afresh."""
    if "world" not in _built:
        with app.app_context():
            empty_all_tables()
        _built["world"] = build_world(app, make_user, make_sector, make_event)
    _built["refused"] = False
    yield _built["world"]
    if request.node.callspec.params.get("method") != "GET" and not _built["refused"]:
        _built.pop("world")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "expected"), TABLE, ids=[f"{m} {p}" for m, p, _ in TABLE]
)
def test_route_access(app, world, auth, client, role, method, path, expected):
    if role != "anonymous":
        auth.login(world["people"][role])
    url = path.format(**world["values"])
    response = client.get(url) if method == "GET" else client.post(url, data={})
    response.close()  # a file sent as it is read (a picture) is closed, as a server would
    _built["refused"] = outcome(response) in REFUSED
    assert outcome(response) == expected[ROLES.index(role)]


def test_the_table_covers_every_route(app):
    def shape(path):  # "/events/<int:event_id>" and "/events/{draft}" both become "/events/<>"
        return re.sub(r"<[^>]+>|\{[^}]+\}", "<>", path)

    covered = {(method, shape(path)) for method, path, _ in TABLE}
    missing = [
        f"{method} {rule.rule}"
        for rule in app.url_map.iter_rules()
        if rule.endpoint not in PUBLIC_FILES
        for method in rule.methods - {"HEAD", "OPTIONS"}
        if (method, shape(rule.rule)) not in covered
    ]
    assert not missing, f"add these routes to the access table: {missing}"
