"""The revisions build exactly the models' schema, and undo cleanly."""

import os
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import check, downgrade, upgrade

from app import create_app
from app.extensions import db


@pytest.fixture
def scratch_database(tmp_path):
    """An empty database of its own, so going down to base disturbs no other test."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{tmp_path / 'scratch.sqlite'}"
        return
    name = f"spilno_scratch_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def table_names():
    return set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_check_downgrade_upgrade(scratch_database):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": scratch_database})
    with app.app_context():
        upgrade()
        assert table_names() == set(db.metadata.tables)
        check()  # `flask db check`: exits non-zero when models and revisions differ
        downgrade(revision="base")
        assert table_names() == set()
        upgrade()
        assert table_names() == set(db.metadata.tables)
        db.engine.dispose()
