"""Spilno: a platform for communities that grow through people meeting people."""

import logging
import sqlite3

import sqlalchemy as sa
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app.blueprints.params import DATABASE_INT_MAX
from app.extensions import (
    babel,
    bootstrap,
    compress,
    csrf,
    db,
    limiter,
    login_manager,
    migrate,
)
from config import ProductionConfig, config_for

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def create_app(config_name: str | None = None, overrides: dict | None = None) -> Flask:
    app = Flask(__name__)
    config = config_for(config_name)
    app.config.from_object(config)
    if overrides:
        app.config.update(overrides)
    if config is ProductionConfig:
        ProductionConfig.check(app.config)
        # One line per event on stderr, where gunicorn and systemd collect it.
        logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    # WeasyPrint tells each step of every PDF at INFO: noise beside the app's own lines.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    if app.config["TRUSTED_PROXIES"]:
        # Behind a reverse proxy every request comes from the proxy: read the client's own
        # address and scheme from the headers the trusted proxies set, and from nothing else.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from app import assets, branding, i18n, security
    from app.models import User

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    bootstrap.init_app(app)
    compress.init_app(app)  # HTML, CSS and JS go compressed to browsers that accept it
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, timezone_selector=i18n.select_timezone)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = i18n.LOGIN_REQUIRED_MESSAGE
    login_manager.login_message_category = "info"
    login_manager.user_loader(lambda user_id: db.session.get(User, int(user_id)))

    # An <int:…> in a URL is a database id: one beyond the INTEGER range is simply not found.
    app.url_map.converters["int"] = DatabaseId
    _register_blueprints(app)
    security.init_app(app)
    assets.init_app(app)
    i18n.init_app(app)
    branding.init_app(app)

    from app import cli

    cli.init_app(app)
    return app


class DatabaseId(IntegerConverter):
    def __init__(self, map, fixed_digits=0, min=None, max=DATABASE_INT_MAX, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _register_blueprints(app: Flask) -> None:
    from app.blueprints.admin import bp as admin_bp
    from app.blueprints.auth import bp as auth_bp
    from app.blueprints.cards import bp as cards_bp
    from app.blueprints.coffee import bp as coffee_bp
    from app.blueprints.community import bp as community_bp
    from app.blueprints.dashboard import bp as dashboard_bp
    from app.blueprints.errors import bp as errors_bp
    from app.blueprints.events import bp as events_bp
    from app.blueprints.main import bp as main_bp
    from app.blueprints.meetings import bp as meetings_bp
    from app.blueprints.members import bp as members_bp
    from app.blueprints.people import bp as people_bp
    from app.blueprints.preferences import bp as preferences_bp
    from app.blueprints.rounds import bp as rounds_bp
    from app.blueprints.surveys import bp as surveys_bp
    from app.blueprints.telegram import bp as telegram_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(errors_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(members_bp)
    app.register_blueprint(preferences_bp)
    app.register_blueprint(events_bp)
    app.register_blueprint(rounds_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(coffee_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(cards_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(community_bp)
    app.register_blueprint(people_bp)
    app.register_blueprint(telegram_bp)


@sa.event.listens_for(sa.Engine, "connect")
def _tune_sqlite(dbapi_connection, _record):
    # SQLite leaves foreign keys off by default; WAL lets the worker write while pages read,
    # and with it synchronous=NORMAL is SQLite's advice: no sync to disk at every commit,
    # and still never a corrupt database.
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
