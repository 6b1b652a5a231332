import sqlalchemy as sa
from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user

from app.blueprints.main import bp
from app.extensions import db
from app.labels import EVENT_FORMAT_LABELS
from app.security import is_safe_next, viewer_id
from app.services import accounts, directory, events


@bp.route("/")
def home():
    return render_template(
        "main/home.html",
        counts=directory.community_counts(),
        upcoming=events.upcoming_events(limit=4, viewer_id=viewer_id()),
        format_labels=EVENT_FORMAT_LABELS,
    )


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        current_app.logger.exception("health check: the database does not answer")
        return "database unavailable", 503, {"Content-Type": "text/plain; charset=utf-8"}
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}


@bp.route("/lang", methods=["POST"])
def switch_language():
    """Remember the chosen language: in the session, and on the account when signed in."""
    lang = request.form.get("lang", "")
    if lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            accounts.set_locale(current_user, lang)
            db.session.commit()
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.home"))
