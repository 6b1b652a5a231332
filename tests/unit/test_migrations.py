"""The revisions build exactly the models' schema, and undo cleanly."""

import pytest
import sqlalchemy as sa
from flask_migrate import check, downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.databases import fresh_database


@pytest.fixture
def scratch_database(tmp_path):
    """An empty database of its own, so going down to base disturbs no other test."""
    with fresh_database(tmp_path, "spilno_scratch") as url:
        yield url


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
