"""A member's private calendar feed: subscribe once, see every confirmed event."""

from flask import Response, abort, flash, redirect, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.events import bp
from app.branding import current_community
from app.extensions import db
from app.security import login_required
from app.services import accounts, calendar, events


@bp.route("/calendar/<token>.ics")
def calendar_feed(token):
    user = accounts.user_by_calendar_token(token)
    if user is None:
        abort(404)
    with_locale = _("%(community)s: my events", community=current_community().name(get_locale()))
    return Response(
        calendar.feed_ics(events.confirmed_events_of(user), name=with_locale),
        mimetype="text/calendar",
        headers={"Cache-Control": "private, max-age=300"},
    )


@bp.route("/calendar/reset", methods=["POST"])
@login_required
def reset_calendar_link():
    accounts.reset_calendar_token(current_user)
    db.session.commit()
    flash(_("Your calendar link is new. The old one no longer works."), "success")
    return redirect(url_for("members.edit_profile") + "#calendar")
