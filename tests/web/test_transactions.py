"""On PostgreSQL, a request's transaction is committed at its end only when all it did was
read: whatever a request wrote and did not commit itself is rolled back, as it always was.
(On SQLite every request's transaction is rolled back, as before.)"""

from contextlib import suppress

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Sector


@pytest.fixture(autouse=True)
def postgresql_only(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("psycopg's prepared statements are why transactions end in COMMIT")


def _new_sector():
    return Sector(name_uk="Тимчасовий", name_en="Temporary", colour="#101010")


def _flushed(_):
    db.session.add(_new_sector())
    db.session.flush()


def _added(_):
    db.session.add(_new_sector())


def _core_insert(_):
    db.session.execute(sa.insert(Sector).values(name_uk="Тимчасовий", name_en="Temporary"))


def _text_update(sector_id):
    db.session.execute(sa.text("UPDATE sectors SET name_en = 'Temporary' WHERE id = :id"),
                       {"id": sector_id})  # fmt: skip


def _two_statements_in_one(sector_id):
    db.session.connection().exec_driver_sql(
        f"SELECT 1; UPDATE sectors SET name_en = 'Temporary' WHERE id = {int(sector_id)}"
    )


def _changed_not_flushed(sector_id):
    db.session.get(Sector, sector_id).name_en = "Temporary"


def _read_then_flushed(sector_id):
    db.session.get(Sector, sector_id)
    db.session.execute(sa.select(Sector)).all()
    _flushed(sector_id)


def _flushed_then_failed(sector_id):
    _flushed(sector_id)
    with suppress(sa.exc.SQLAlchemyError):  # a view that answers anyway, as /healthz does
        db.session.execute(sa.text("SELECT * FROM no_such_table"))


@pytest.mark.parametrize(
    "write",
    [_flushed, _added, _core_insert, _text_update, _two_statements_in_one, _changed_not_flushed,
     _read_then_flushed, _flushed_then_failed],
)  # fmt: skip
def test_what_a_request_wrote_and_did_not_commit_is_not_kept(app, client, make_sector, write):
    sector = make_sector()

    def view():
        write(sector.id)
        return "answered"

    app.add_url_rule("/writes-without-commit", view_func=view)
    response = client.get("/writes-without-commit")
    assert response.status_code == 200 and response.text == "answered"
    with app.app_context():
        rows = db.session.execute(sa.select(Sector.name_en)).scalars().all()
    assert rows == ["Education"]


def test_a_request_that_only_read_commits_and_one_that_wrote_rolls_back(
    app, client, make_event, make_user
):
    make_event()
    app.add_url_rule("/flushes", view_func=lambda: _flushed(None) or "flushed")
    ended = []
    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "commit", lambda _: ended.append("commit"))
    sa.event.listen(engine, "rollback", lambda _: ended.append("rollback"))

    assert client.get("/events/").status_code == 200
    assert ended == ["commit"]

    ended.clear()
    assert client.get("/flushes").status_code == 200
    assert ended == ["rollback"]


def test_queries_stay_prepared_from_one_request_to_the_next(
    client, make_event, prepared_statements
):
    make_event()
    for _ in range(8):
        assert client.get("/events/").status_code == 200
    assert any("FROM events" in statement for statement in prepared_statements())
