"""Every route of the access table, sent the values a scanner sends, never answers 500.

Each family of values is sent in every form field and query parameter the app reads, to
every route, as a member and as an admin; the database must hold afterwards exactly what a
well-behaved request may leave (nothing half-saved: a 500's rollback is not enough).
"""

import pytest
import sqlalchemy as sa

from app.extensions import db
from tests.web.test_access import TABLE

# Every name a view reads from a form or a query string (fields of the forms included).
PARAMETERS = (
    "address", "anonymous", "asks", "audience", "bio", "capacity", "city", "closes_at",
    "cohost_ids", "colour", "comment", "confirm", "contact", "days", "description", "email",
    "end", "ends_at", "format", "frequency", "interests", "kind", "languages", "locale", "met",
    "name", "name_en", "name_uk", "next", "offers", "online_url", "opens_at", "options",
    "organisation", "password", "paused_until", "rating", "reason", "registration_closes_at",
    "remember", "required", "requires_approval", "role", "sector_id", "share_contact", "start",
    "starts_at", "template", "text", "timezone", "title", "understood", "venue",
    "wants_contact", "action", "back", "category", "crop", "first", "ids", "interest", "lang",
    "layout", "left", "minutes", "preview", "q", "scheduled", "second", "sector", "show",
    "token", "undo", "weekday", "when", "who", "page",
)  # fmt: skip

HOSTILE = {
    "nul": "a\x00b",
    "huge number": "99999999999999999999",
    "superscript digit": "²",
    "arabic digit": "٣",
    "negative": "-1",
    "blank": "",
    "first day": "0001-01-01",
    "last moment": "9999-12-31T23:59",
    "line break": "/x\r\nLocation: http://evil.example",
    "line separator": "Вечір\u2028\vзнайомств",
    "long": "я" * 300,  # past every column's length
}


def hostile_data(value, survey_questions):
    data = dict.fromkeys(PARAMETERS, value)
    data.update({f"q{qid}": value for qid in survey_questions})
    return data


@pytest.mark.parametrize("family", HOSTILE)  # one family a test: the sweep spreads over workers
@pytest.mark.parametrize("role", ["member", "admin"])
def test_no_route_answers_500_to_hostile_values(app, world, auth, client, role, family):
    auth.login(world["people"][role])
    data = hostile_data(HOSTILE[family], [world["values"]["question"]])
    failures = []
    for method, path, _expected in TABLE:
        if path in ("/auth/logout", "/me/delete"):
            continue  # they end the session the table runs in; tested on their own
        url = path.format(**world["values"])
        if method == "GET":
            response = client.get(url, query_string=data)
        else:
            response = client.post(url, data=data)
        if response.status_code >= 500:
            failures.append(f"{method} {url} answered {response.status_code}")
    assert not failures


def test_no_hostile_path_answers_500(app, world, auth, client):
    auth.login(world["people"]["admin"])
    for probe in ("/t/%00", "/events/99999999999999999999", "/members/²", "/admin/?q=%00"):
        assert client.get(probe).status_code < 500, probe


def test_nothing_is_half_saved_by_a_refused_value(app, world, auth, client):
    """A NUL in an event's title is refused before anything is written."""
    auth.login(world["people"]["host"])
    with app.app_context():
        before = db.session.scalar(sa.text("SELECT count(*) FROM events"))
    response = client.post("/events/new", data={"title": "Вечір\x00", "format": "offline"})
    assert response.status_code == 400
    assert "Із цим запитом щось не так" in response.text
    with app.app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM events")) == before
