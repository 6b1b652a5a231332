"""The event page shows every change to what it is drawn from at once."""

import sqlalchemy as sa

from app.extensions import db
from app.models import Event, Registration, Sector, User


def _update(app, model, ident, **values):
    with app.app_context():
        db.session.execute(sa.update(model).where(model.id == ident).values(**values))
        db.session.commit()


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
