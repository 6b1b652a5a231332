"""Fixtures in the shape of Flask's tutorial: app, client, runner and an auth helper.

The schema is built once per run by the real migrations; each test then starts from
empty tables. With TEST_DATABASE_URL set, the run gets a fresh PostgreSQL database of its
own, dropped at the end.
"""

import re

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy.orm import selectinload
from werkzeug.security import generate_password_hash

from app import create_app
from app.extensions import db, limiter
from app.models import Role, Sector, User
from app.services.accounts import set_name
from app.services.mail import MemoryTransport, deliver_due_messages
from tests.databases import fresh_database
from tests.smtp import Inbox, free_port
from tests.telegram_fake import TOKEN as TELEGRAM_TOKEN
from tests.telegram_fake import FakeTelegram

PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("db"), "spilno_test") as url:
        yield url


@pytest.fixture(scope="session")
def migrated(database_url):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return database_url


class CSRFClient(FlaskClient):
    """A test client that sends a real CSRF token with each form POST, as a browser does."""

    def post(self, *args, csrf=True, **kwargs):
        data = kwargs.get("data") or {}
        if csrf and "json" not in kwargs and isinstance(data, dict) and "csrf_token" not in data:
            kwargs["data"] = {**data, "csrf_token": self.csrf_token()}
        return super().post(*args, **kwargs)

    _signed: tuple[str, str] | None = None  # (the session's raw token, the form's token)

    def csrf_token(self) -> str:
        """The token a page would put in its forms; read from a page only when the session's
        own token is new (a page per POST made the suite render the home page a thousand
        times)."""
        raw = self._session_token()
        if raw is None or self._signed is None or self._signed[0] != raw:
            page = self.get("/auth/reset").get_data(as_text=True)
            token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
            self._signed = (self._session_token(), token.group(1))
        return self._signed[1]

    def _session_token(self) -> str | None:
        with self.session_transaction() as session:
            return session.get("csrf_token")


def empty_all_tables():
    # DELETE, children first: on tables this small it is ten times faster than TRUNCATE,
    # which makes PostgreSQL swap every table's files. Ids go on counting; no test names one.
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def new_app(database_url, **overrides):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": database_url, **overrides})
    app.test_client_class = CSRFClient
    return app


@pytest.fixture
def own_app(migrated):
    """An app of a test's own (one that changes how it is built), its connections closed after."""
    made = []

    def make(**overrides):
        made.append(new_app(migrated, **overrides))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def shared_app(migrated, tmp_path_factory):
    """One app for the run: building its URL map costs a tenth of a second, every time."""
    return new_app(migrated, UPLOADS_DIR=str(tmp_path_factory.mktemp("uploads")))


@pytest.fixture
def app(shared_app, tmp_path):
    """The app, with no context pushed: each request gets its own, as in production.

    (A context held open by the test would be shared by every request: `g`, the logged-in
    user and the database session would leak from one request into the next.) Each test
    starts from empty tables, fresh login limits and the configuration as it was.
    """
    app = shared_app
    saved = dict(app.config)
    app.config["MAIL_FILE_DIR"] = str(tmp_path / "mail")
    app.config["UPLOADS_DIR"] = str(tmp_path / "uploads")
    with app.app_context():
        limiter.reset()
    yield app
    with app.app_context():
        empty_all_tables()
        db.engine.dispose()
    app.config.clear()
    app.config.update(saved)


@pytest.fixture
def app_ctx(app):
    """For tests that call services directly, without requests."""
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def password_hash():
    # Cheap parameters: the tests check who may log in, not how hard a hash is to crack.
    return generate_password_hash(PASSWORD, method="scrypt:1024:8:1")


def _saved(app, instance):
    """Commit in a context of its own and hand back a detached, fully loaded copy."""
    with app.app_context():
        db.session.add(instance)
        db.session.commit()
        db.session.refresh(instance)
        db.session.expunge(instance)
    return instance


@pytest.fixture
def make_user(app, password_hash):
    counter = iter(range(1, 10_000))

    def make(name=None, *, role=Role.MEMBER, email=None, locale="uk", **profile):
        n = next(counter)
        # A member of some standing: welcomed already (a test of the welcome says otherwise).
        profile.setdefault("welcome_step", 4)
        user = User(
            email=email or f"person{n}@example.org",
            password_hash=password_hash,
            role=role,
            locale=locale,
            **profile,
        )
        set_name(user, name or f"Person {n}")
        return _saved(app, user)

    return make


@pytest.fixture
def make_sector(app):
    def make(name_uk="Освіта", name_en="Education", colour="#f2a900"):
        return _saved(app, Sector(name_uk=name_uk, name_en=name_en, colour=colour))

    return make


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, user_or_email, password=PASSWORD):
        email = getattr(user_or_email, "email", user_or_email)
        return self._client.post("/auth/login", data={"email": email, "password": password})

    def logout(self):
        return self._client.post("/auth/logout")


@pytest.fixture
def auth(client):
    return AuthActions(client)


@pytest.fixture
def deliver(app):
    """Run the worker's delivery once and return the emails it sent."""

    def run():
        transport = MemoryTransport()
        with app.app_context():
            deliver_due_messages(transport)
        return transport.sent

    return run


class Database:
    """What the database holds, read in a context of its own (as a second process would)."""

    def __init__(self, app):
        self._app = app

    def _detached(self, rows):
        for row in rows:
            db.session.expunge(row)
        return rows

    def get(self, model, ident):
        with self._app.app_context():
            query = sa.select(model).where(model.id == ident).options(selectinload("*"))
            found = db.session.scalars(query).all()
            return self._detached(found)[0] if found else None

    def all(self, model, *where):
        with self._app.app_context():
            query = sa.select(model).where(*where).order_by(*sa.inspect(model).primary_key)
            query = query.options(selectinload("*"))
            return self._detached(db.session.scalars(query).all())

    def count(self, model, *where):
        with self._app.app_context():
            return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.fixture
def database(app):
    return Database(app)


@pytest.fixture
def make_event(app, make_user):
    """A published event a week ahead (pass status="draft" etc. to change anything)."""
    from datetime import timedelta

    from app.models import Event
    from app.models.types import utcnow

    def make(host=None, **fields):
        host = host or make_user("Ведуча Подій", role="host")
        start = utcnow().replace(microsecond=0) + timedelta(days=7)
        values = {
            "title": "Нетворкінг-вечір",
            "format": "offline",
            "starts_at": start,
            "ends_at": start + timedelta(hours=2),
            "timezone": "Europe/Kyiv",
            "venue": "Мистецький арсенал",
            "address": "вул. Лаврська, 10",
            "city": "Київ",
            "capacity": 10,
            "status": "published",
            **fields,
        }
        with app.app_context():
            event = Event(**values)
            event.hosts = [db.session.get(User, host.id)]
            db.session.add(event)
            db.session.commit()
            event_id = event.id
        return Database(app).get(Event, event_id)

    return make


@pytest.fixture
def statements_of(app):
    """Run `call()`: what it returned, and the SQL statements it made."""

    def run(call):
        statements = []

        def record(conn, cursor, statement, *args):
            statements.append(statement)

        with app.app_context():
            engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", record)
        try:
            return call(), statements
        finally:
            sa.event.remove(engine, "before_cursor_execute", record)

    return run


@pytest.fixture
def count_queries(statements_of):
    """How many SQL statements one GET makes (its status must be 200)."""

    def count(client, url) -> int:
        response, statements = statements_of(lambda: client.get(url))
        assert response.status_code == 200
        return len(statements)

    return count


@pytest.fixture
def smtp_port():
    return free_port()


@pytest.fixture
def smtp_server(smtp_port):
    """A real SMTP server (aiosmtpd) for the test, stopped after it, pass or fail."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    controller.start()
    yield inbox
    controller.stop()


WEBHOOK_SECRET = "webhook-secret-for-tests"


@pytest.fixture
def telegram_api(app):
    """A fake Bot API (tests/telegram_fake.py) the app is pointed at, with a bot configured;
    stopped after the test, pass or fail."""
    fake = FakeTelegram().start()
    app.config.update(
        TELEGRAM_BOT_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_BOT_USERNAME="spilno_test_bot",
        TELEGRAM_API_URL=fake.url,
        TELEGRAM_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )
    yield fake
    fake.stop()
