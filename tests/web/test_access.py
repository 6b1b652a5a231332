"""Who may use each route: every route × anonymous, member, host, admin."""

import pytest

ROLES = ("anonymous", "member", "host", "admin")
OK, LOGIN, FORBIDDEN, HOME = "ok", "login", "forbidden", "home"

# (method, path, expected outcome for anonymous, member, host, admin)
TABLE = [
    ("GET", "/", (OK, OK, OK, OK)),
    ("GET", "/healthz", (OK, OK, OK, OK)),
    ("POST", "/lang", (HOME, HOME, HOME, HOME)),
    ("GET", "/auth/signup", (OK, HOME, HOME, HOME)),
    ("POST", "/auth/signup", (OK, HOME, HOME, HOME)),
    ("GET", "/auth/login", (OK, HOME, HOME, HOME)),
    ("POST", "/auth/login", (OK, HOME, HOME, HOME)),
    ("POST", "/auth/logout", (LOGIN, HOME, HOME, HOME)),
    ("GET", "/auth/reset", (OK, OK, OK, OK)),
    ("POST", "/auth/reset", (OK, OK, OK, OK)),
    ("GET", "/auth/reset/{token}", (OK, OK, OK, OK)),
    ("POST", "/auth/reset/{token}", (OK, OK, OK, OK)),
    ("GET", "/members/", (LOGIN, OK, OK, OK)),
    ("GET", "/members/{other}", (LOGIN, OK, OK, OK)),
    ("GET", "/me", (LOGIN, OK, OK, OK)),
    ("POST", "/me", (LOGIN, OK, OK, OK)),
    ("GET", "/me/export", (LOGIN, OK, OK, OK)),
    ("GET", "/me/delete", (LOGIN, OK, OK, OK)),
    ("POST", "/me/delete", (LOGIN, OK, OK, OK)),
    ("GET", "/admin/", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/users/{other}/role", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/admin/sectors", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/sectors", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("GET", "/admin/sectors/{sector}", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
    ("POST", "/admin/sectors/{sector}", (LOGIN, FORBIDDEN, FORBIDDEN, OK)),
]
# Static files are public by nature and need no row.
PUBLIC_FILES = {"static", "bootstrap.static"}


@pytest.fixture
def world(app, make_user, make_sector):
    from app.services.accounts import password_reset_token

    sector = make_sector()
    other = make_user("Інша Людина")
    people = {role: make_user(role=role if role != "anonymous" else "member") for role in ROLES}
    with app.app_context():
        token = password_reset_token(other)
    return {"people": people, "other": other.id, "sector": sector.id, "token": token}


def outcome(response) -> str:
    if response.status_code == 403:
        return FORBIDDEN
    if response.status_code == 302 and response.location.startswith("/auth/login"):
        return LOGIN
    if response.status_code == 302 and response.location == "/":
        return HOME
    if response.status_code in (200, 302):
        return OK
    return f"unexpected {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "expected"), TABLE, ids=[f"{m} {p}" for m, p, _ in TABLE]
)
def test_route_access(app, world, auth, client, role, method, path, expected):
    if role != "anonymous":
        auth.login(world["people"][role])
    url = path.format(other=world["other"], sector=world["sector"], token=world["token"])
    response = client.get(url) if method == "GET" else client.post(url, data={})
    assert outcome(response) == expected[ROLES.index(role)]


def test_the_table_covers_every_route(app):
    covered = {(method, path) for method, path, _ in TABLE}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_FILES:
            continue
        path = rule.rule
        for name, placeholder in (
            ("user_id", "{other}"),
            ("sector_id", "{sector}"),
            ("token", "{token}"),
        ):
            path = path.replace(f"<int:{name}>", placeholder).replace(f"<{name}>", placeholder)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (method, path) not in covered:
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"add these routes to the access table: {missing}"
