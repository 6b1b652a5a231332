"""The event page is served again only while everything it is drawn from is unchanged."""

from datetime import timedelta

import sqlalchemy as sa

from app.blueprints.events import page_cache
from app.extensions import db
from app.models import Event, Registration, Sector, User
from app.models.types import utcnow


def _update(app, model, ident, **values):
    with app.app_context():
        db.session.execute(sa.update(model).where(model.id == ident).values(**values))
        db.session.commit()


def test_a_second_view_reads_only_the_pages_inputs(
    client, auth, make_user, make_event, count_queries
):
    event = make_event()
    auth.login(make_user("Олена Коваль"))
    first = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert count_queries(client, f"/events/{event.id}") == 1
    assert client.get(f"/events/{event.id}").get_data(as_text=True) == first


def test_every_change_to_what_the_page_shows_shows_at_once(
    app, client, auth, make_user, make_event, make_sector
):
    host = make_user("Ведуча Подій", role="host")
    event = make_event(host=host, capacity=2)
    viewer = make_user("Олена Коваль")
    auth.login(viewer)
    url = f"/events/{event.id}"

    def page():
        return client.get(url).get_data(as_text=True)

    assert "Залишилося 2 місця" in page()

    other = make_user("Інший Учасник")  # someone else takes a seat
    with app.app_context():
        db.session.add(Registration(event_id=event.id, user_id=other.id, status="confirmed"))
        db.session.commit()
    assert "Залишилося 1 місце" in page()

    _update(app, Event, event.id, title="Вечір змінено")  # the host edits the event
    assert "Вечір змінено" in page()

    _update(app, User, host.id, name="Нова Ведуча")  # a host renames herself
    assert "Нова Ведуча" in page()

    _update(app, User, viewer.id, name="Зоя Мельник")  # the viewer's initials in the header
    assert ">ЗМ</span>" in page()

    _update(app, User, viewer.id, role="admin")  # the header gains the admin's link
    assert 'href="/admin/' in page()

    sector = make_sector(colour="#123456")
    _update(app, User, viewer.id, sector_id=sector.id)
    assert "--sector: #123456" in page()
    _update(app, Sector, sector.id, colour="#654321")  # an admin recolours the sector
    assert "--sector: #654321" in page()

    with app.app_context():  # the viewer's own seat, checked in at the door
        db.session.add(Registration(event_id=event.id, user_id=viewer.id, status="confirmed"))
        db.session.commit()
    assert "Ви йдете" in page()

    client.post("/lang", data={"lang": "en", "next": url})
    assert "You are going" in page()


def test_a_page_drawn_while_its_inputs_changed_is_not_kept(
    app, client, auth, make_user, make_event, monkeypatch
):
    from app.blueprints.events import routes

    event = make_event(title="Перша назва")
    auth.login(make_user())
    url = f"/events/{event.id}"
    draw = routes._draw_event_page

    def edited_meanwhile(event_id):  # the host saves a new title as the page is drawn
        _update(app, Event, event.id, title="Друга назва")
        return draw(event_id)

    monkeypatch.setattr(routes, "_draw_event_page", edited_meanwhile)
    assert "Друга назва" in client.get(url).get_data(as_text=True)
    monkeypatch.setattr(routes, "_draw_event_page", draw)
    _update(app, Event, event.id, title="Перша назва")  # and changes it back
    assert "Перша назва" in client.get(url).get_data(as_text=True)


def test_the_inputs_stay_prepared_on_postgresql(app, make_user, make_event, prepared_statements):
    """Planning this join costs PostgreSQL five times running it: after a few views it is
    prepared, and not planned again."""
    from app.services import events

    event, viewer = make_event(), make_user()
    for _ in range(8):
        with app.app_context():  # a request each: its session ends when it does
            events.event_page_inputs(event.id, viewer.id)
    assert any("viewer_sector" in statement for statement in prepared_statements())


def test_a_flashed_message_is_shown_once_and_the_page_after_it_is_kept(
    client, auth, make_user, make_event
):
    event = make_event()
    auth.login(make_user())
    url = f"/events/{event.id}"
    client.get(url)
    token = _token(client.get(url).get_data(as_text=True))  # from a kept page
    client.post(f"{url}/register", data={"csrf_token": token})  # the kept token is valid
    registered = client.get(url).get_data(as_text=True)
    assert "Ви зареєстровані" in registered
    assert "Ви зареєстровані" not in client.get(url).get_data(as_text=True)


def test_a_page_is_kept_only_until_registration_closes(
    app, client, auth, make_user, make_event, monkeypatch
):
    closes = utcnow().replace(microsecond=0) + timedelta(hours=1)
    event = make_event(registration_closes_at=closes)
    auth.login(make_user())
    url = f"/events/{event.id}"
    assert "Зареєструватися" in client.get(url).get_data(as_text=True)

    later = closes + timedelta(seconds=1)
    monkeypatch.setattr(page_cache, "utcnow", lambda: later)
    monkeypatch.setattr("app.blueprints.events.routes.utcnow", lambda: later)
    page = client.get(url).get_data(as_text=True)
    assert "Реєстрацію закрито" in page and "Зареєструватися" not in page


def test_each_new_guest_gets_a_page_whose_forms_work_for_them(app, make_event):
    event = make_event()
    url = f"/events/{event.id}"
    for guest in (app.test_client(), app.test_client()):  # neither has a session yet
        token = _token(guest.get(url).get_data(as_text=True))
        response = guest.post("/lang", data={"lang": "en", "next": url, "csrf_token": token})
        assert response.status_code == 302


def test_a_deleted_member_is_not_shown_a_kept_page(app, client, auth, make_user, make_event):
    event = make_event()
    viewer = make_user("Олена Коваль")
    auth.login(viewer)
    url = f"/events/{event.id}"
    assert 'action="/auth/logout"' in client.get(url).get_data(as_text=True)
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.id == viewer.id))
        db.session.commit()
    page = client.get(url).get_data(as_text=True)
    assert 'action="/auth/logout"' not in page and 'href="/auth/login?next=' in page


def test_the_kept_pages_are_bounded(app, client, auth, make_user, make_event, monkeypatch):
    monkeypatch.setattr(page_cache, "PAGES_KEPT", 2)
    events = [make_event(title=f"Подія {n}") for n in range(3)]
    auth.login(make_user())
    for event in events:
        client.get(f"/events/{event.id}")
    assert len(app.extensions["event_pages"]) == 2


def _token(page: str) -> str:
    import re

    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
