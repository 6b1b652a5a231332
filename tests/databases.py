"""Throw-away databases for the suite: a SQLite file, or a fresh database on a PostgreSQL server."""

import contextlib
import os
import uuid

import sqlalchemy as sa


@contextlib.contextmanager
def fresh_database(directory, prefix: str):
    """Yield the URL of an empty database; a PostgreSQL one is dropped afterwards."""
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        yield f"sqlite:///{directory / f'{prefix}.sqlite'}"
        return
    with _postgres(server, prefix) as url:
        yield url


LOCAL_POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextlib.contextmanager
def postgres_database(prefix: str = "spilno_bench"):
    """An empty PostgreSQL database for a benchmark (TEST_DATABASE_URL's server, else the
    local one), dropped afterwards."""
    server = os.environ.get("TEST_DATABASE_URL") or LOCAL_POSTGRESQL
    with _postgres(server, prefix) as url:
        yield url


@contextlib.contextmanager
def _postgres(server: str, prefix: str):
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
