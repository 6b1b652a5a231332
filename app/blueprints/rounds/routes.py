"""Live rounds: the host's console, the projector, and each attendee's phone."""

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.actions import run_action
from app.blueprints.rounds import bp
from app.blueprints.rounds.forms import DEFAULT_MINUTES, DraftForm, PresenceForm, SwapForm
from app.extensions import db
from app.models import EventStatus, RegistrationStatus, RoundStatus
from app.security import hosts_of_event, login_required, visible
from app.services import events, registration, rounds
from app.services.links import external_url, qr_svg


def _back(event):
    return redirect(url_for("rounds.console", event_id=event.id))


def _run(event, action, done_message=""):
    run_action(action, done_message)
    return _back(event)


def _refused(event, form):
    """A form the console never sends as it is: say what was wrong and go back."""
    for message in dict.fromkeys(str(errors[0]) for errors in form.errors.values()):
        flash(message, "danger")
    return _back(event)


@bp.route("/events/<int:event_id>/rounds")
@hosts_of_event
def console(event):
    all_rounds = rounds.rounds_of(event.id)
    return render_template(
        "rounds/console.html",
        event=event,
        present=rounds.present(event.id),
        rounds=all_rounds,
        draft=next((r for r in all_rounds if r.status == RoundStatus.DRAFT), None),
        current=next((r for r in all_rounds if r.status == RoundStatus.PUBLISHED), None),
        minutes=(all_rounds[-1].minutes if all_rounds else DEFAULT_MINUTES),
    )


@bp.route("/events/<int:event_id>/rounds/draft", methods=["POST"])
@hosts_of_event
def draft(event):
    form = DraftForm()
    if not form.validate():
        return _refused(event, form)
    minutes = form.minutes.data or DEFAULT_MINUTES
    return _run(event, lambda: rounds.draft_round(event.id, minutes=minutes))


@bp.route("/events/<int:event_id>/rounds/<int:round_id>/swap", methods=["POST"])
@hosts_of_event
def swap(event, round_id):
    form = SwapForm()
    if not form.validate():
        return _refused(event, form)
    first, second = form.first.data, form.second.data
    return _run(event, lambda: rounds.swap(event.id, round_id, first, second))


@bp.route("/events/<int:event_id>/rounds/<int:round_id>/pin/<int:meeting_id>", methods=["POST"])
@hosts_of_event
def pin(event, round_id, meeting_id):
    return _run(event, lambda: rounds.toggle_pin(event.id, round_id, meeting_id))


@bp.route("/events/<int:event_id>/rounds/<int:round_id>/publish", methods=["POST"])
@hosts_of_event
def publish(event, round_id):
    return _run(
        event,
        lambda: rounds.publish(event.id, round_id),
        _("The round is published: everyone sees their partner now."),
    )


@bp.route("/events/<int:event_id>/rounds/<int:round_id>/close", methods=["POST"])
@hosts_of_event
def close(event, round_id):
    return _run(event, lambda: rounds.close(event.id, round_id), _("The round is closed."))


@bp.route("/events/<int:event_id>/rounds/present/<int:registration_id>", methods=["POST"])
@hosts_of_event
def toggle_left(event, registration_id):
    found = registration.registration_of_id(event.id, registration_id)
    if found is None:
        abort(404)
    form = PresenceForm()
    if not form.validate():
        return _refused(event, form)
    rounds.set_left(found, form.left.data == "yes")
    db.session.commit()
    return _back(event)


@bp.route("/events/<int:event_id>/rounds/<int:number>/screen")
@hosts_of_event
def screen(event, number):
    round_ = rounds.round_by_number(event.id, number)
    if round_ is None or round_.status == RoundStatus.DRAFT:
        abort(404)
    live = external_url("rounds.live", event_id=event.id)
    return render_template(
        "rounds/screen.html",
        event=event,
        round=round_,
        live_link=live.split("://", 1)[-1],
        live_qr=qr_svg(live, border=2, css_class="projector-qr"),
    )


@bp.route("/events/<int:event_id>/live")
@login_required
def live(event_id):
    """The attendee's phone polls this every few seconds (htmx). One statement says whether
    anything the panel shows has changed; if not, the answer is 304 and nothing is drawn."""
    version = rounds.live_version(event_id, current_user.id)
    hosting = version is not None and (version.hosting or current_user.is_admin)
    if version is None or (version.event_status == EventStatus.DRAFT and not hosting):
        abort(404)
    if version.seat_status != RegistrationStatus.CONFIRMED and not hosting:
        abort(403)
    panel_only = bool(request.headers.get("HX-Request"))
    etag = version.tag(current_user.id, str(get_locale()), panel_only)
    if request.if_none_match.contains_weak(etag):
        return _unchanged(etag)
    event = visible(events.event_with_hosts(event_id))
    state = rounds.live_state(event.id, current_user.id)
    mine = registration.registration_of(event.id, current_user.id)
    template = "rounds/_live_panel.html" if panel_only else "rounds/live.html"
    response = make_response(
        render_template(
            template,
            event=event,
            state=state,
            checked_in=mine and mine.checked_in_at,
            round_tag=rounds.current_round_tag(event.id),
        )
    )
    return _revalidated(response, etag)


@bp.route("/events/<int:event_id>/live/round")
def live_round(event_id):
    """Every phone in the room asks this every few seconds with the round it shows (`seen`).
    It needs no sign-in, since all it tells is whether a published event's round changed, so
    it costs one small query: 204 while the phone is current, else an HX-Trigger that makes
    the phone's panel fetch itself again."""
    tag = rounds.current_round_tag(event_id)
    if tag is None:
        abort(404)
    headers = {"Cache-Control": "no-store"}
    if request.args.get("seen") == tag:
        return "", 204, headers
    return "", 200, {**headers, "HX-Trigger": "live-changed"}


def _unchanged(etag: str):
    return _revalidated(make_response("", 304), etag)


def _revalidated(response, etag: str):
    # Private to this member; the browser may keep it but must ask every time (no-cache).
    # Weak: the same panel, however compressed (Flask-Compress leaves weak tags alone).
    response.set_etag(etag, weak=True)
    response.headers["Cache-Control"] = "private, no-cache"
    response.vary.add("HX-Request")
    return response
