import io
import mimetypes

import sqlalchemy as sa
from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.main import bp
from app.blueprints.main.forms import ConsentForm
from app.branding import current_community
from app.extensions import db
from app.labels import EVENT_FORMAT_LABELS
from app.security import is_safe_next, login_required, viewer_id
from app.services import accounts, community, directory, events, messages, pictures

YEAR = 365 * 24 * 3600


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


@bp.route("/pictures/<name>/<size>")
def picture(name, size):
    """An uploaded picture: its name is new for every upload, so it never changes."""
    path = pictures.picture_path(name, size)
    if path is None:
        abort(404)
    with open(path, "rb") as file:  # small, and read whole: the file is closed at once
        content = file.read()
    response = send_file(io.BytesIO(content), mimetype=mimetypes.guess_type(path)[0], max_age=YEAR)
    response.cache_control.immutable = True
    return response


@bp.route("/<any(privacy, terms):kind>")
def policy(kind):
    face = current_community()
    if not face.has_policies:
        abort(404)
    return render_template("main/policy.html", kind=kind, text=face.policy_html(kind))


@bp.route("/consent", methods=["GET", "POST"])
@login_required
def consent():
    """The policies changed (or were first published): a member agrees before going on."""
    face = current_community()
    target = request.values.get("next")
    target = target if is_safe_next(target) else url_for("main.home")
    form = ConsentForm()
    if form.validate_on_submit():
        community.record_consent(current_user.id, face.policy_version)
        db.session.commit()
        flash(_("Thank you. Welcome back!"), "success")
        return redirect(target)
    return render_template("main/consent.html", form=form, next=target)


@bp.route("/announcements")
@login_required
def announcements():
    """What the team told everyone, for members who missed a mail or turned them off."""
    return render_template("main/announcements.html", announcements=messages.announcements())
