"""On PostgreSQL, a request's transaction ends in COMMIT when all it did was read, else in
ROLLBACK.

psycopg forgets every prepared statement at a ROLLBACK (one rolled back with a CREATE could
name a table that never was), and Flask-SQLAlchemy ends each request's session with one. So
on PostgreSQL no query stayed prepared from one request to the next: each was parsed and
planned afresh, which for most pages cost PostgreSQL more than running them. A transaction
that only read has nothing to undo, and a COMMIT ends it as cheaply.

Whether a transaction only read is decided where nothing gets past: every statement a
connection sends goes through `before_cursor_execute`, and one that is not a SELECT, or
one that fails, leaves the transaction to be rolled back as before.
"""

import sqlalchemy as sa
from flask import Flask, current_app

from app.extensions import db

_ONLY_READ = "spilno.only_read"  # in each DBAPI connection's info, for its transaction


@sa.event.listens_for(sa.Engine, "begin")
def _transaction_begins(connection: sa.Connection) -> None:
    connection.info[_ONLY_READ] = True


@sa.event.listens_for(sa.Engine, "before_cursor_execute")
def _statement_sent(connection, _cursor, statement: str, _parameters, _context, executemany):
    # SELECT … FOR UPDATE only locks, and a COMMIT lets go of its locks as a ROLLBACK does.
    # Anything else counts as a write: a WITH, a comment first, two statements in one.
    text = statement.strip().rstrip(";")
    if executemany or text[:6].upper() != "SELECT" or ";" in text:
        connection.info[_ONLY_READ] = False


@sa.event.listens_for(sa.Engine, "handle_error")
def _statement_failed(context: sa.engine.ExceptionContext) -> None:
    if context.connection is not None and not context.connection.closed:
        context.connection.info[_ONLY_READ] = False


def init_app(app: Flask) -> None:
    if sa.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() != "postgresql":
        return  # SQLite keeps nothing prepared: a COMMIT would only cost a little more
    # Teardowns run last-registered first: this one before Flask-SQLAlchemy removes the session.
    app.teardown_appcontext(_end_read_only_transaction)


def _end_read_only_transaction(error: BaseException | None) -> None:
    session = db.session()
    transaction = session.get_transaction()
    if error is not None or transaction is None or not transaction.is_active:
        return
    if session.new or session.dirty or session.deleted:
        return  # committing would write them
    if not all(connection.info.get(_ONLY_READ) for connection in transaction.connections):
        return
    session.expire_on_commit = False  # it ends here: what it loaded stays loaded, as before
    try:
        session.commit()
    except sa.exc.SQLAlchemyError:  # nothing was written; the session's removal rolls back
        current_app.logger.warning("a read-only transaction did not commit", exc_info=True)
