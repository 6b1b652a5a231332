"""At the door: the attendee list, one-tap check-in, approvals, export, and ticket scans."""

import io

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.blueprints.actions import run_action
from app.blueprints.events import bp
from app.blueprints.events.forms import RejectForm, WalkInForm
from app.blueprints.params import id_list, page_number, whole_number
from app.extensions import db
from app.models import RegistrationStatus
from app.security import hosts_of_event, is_safe_next, login_required
from app.services import attendees, registration
from app.services.errors import DomainError
from app.services.links import external_url, qr_png

ROWS_ONLY = ("attendee-rows", "more-attendees")


def _filters():
    show = request.args.get("show", "all")
    return request.args.get("q", "").strip()[:100], show if show in attendees.FILTERS else "all"


@bp.route("/events/<int:event_id>/attendees")
@hosts_of_event
def attendees_page(event):
    text, show = _filters()
    page = page_number(request.args)
    people, more = attendees.list_attendees(event.id, text=text, show=show, page=page)
    context = {"event": event, "people": people, "text": text, "show": show}
    context |= {"page": page, "more": more}
    # htmx asks for rows alone: a search as one types, or "Show more" (the row it replaces).
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") in ROWS_ONLY:
        return render_template("events/_attendee_rows.html", **context)
    return render_template(
        "events/attendees.html",
        counts=attendees.attendee_counts(event.id),
        reject_form=RejectForm(),
        **context,
    )


def _registration(event, registration_id):
    found = attendees.registration_in_event(event.id, registration_id)
    if found is None:
        abort(404)
    return found


def _row_or_back(event, found, message=None, category="success"):
    """htmx swaps the one row; without JavaScript the page reloads with a message."""
    if request.headers.get("HX-Request"):  # the row, and the counters out of band
        return render_template(
            "events/_check_in_response.html",
            event=event,
            person=found,
            flash_text=message,
            counts=attendees.attendee_counts(event.id),
        )
    if message:
        flash(message, category)
    back = request.form.get("back")
    if not is_safe_next(back):
        back = url_for("events.attendees_page", event_id=event.id)
    return redirect(back)


@bp.route("/events/<int:event_id>/attendees/<int:registration_id>/check-in", methods=["POST"])
@hosts_of_event
def check_in(event, registration_id):
    found = _registration(event, registration_id)
    try:
        registration.check_in(found)
    except DomainError as error:
        db.session.rollback()
        return _row_or_back(event, found, error.message, "danger")
    db.session.commit()
    return _row_or_back(event, found)


@bp.route("/events/<int:event_id>/attendees/<int:registration_id>/undo", methods=["POST"])
@hosts_of_event
def undo_check_in(event, registration_id):
    found = _registration(event, registration_id)
    registration.undo_check_in(found)
    db.session.commit()
    return _row_or_back(event, found)


@bp.route("/events/<int:event_id>/attendees/check-in", methods=["POST"])
@hosts_of_event
def check_in_many(event):
    ids = id_list(request.form.getlist("ids"))
    done = attendees.check_in_many(event.id, ids)
    db.session.commit()
    flash(ngettext("%(num)s person checked in.", "%(num)s people checked in.", done), "success")
    return redirect(url_for("events.attendees_page", event_id=event.id))


@bp.route("/events/<int:event_id>/attendees/approve", methods=["POST"])
@hosts_of_event
def approve_many(event):
    confirmed, waitlisted = registration.approve_many(
        event.id, id_list(request.form.getlist("ids"))
    )
    db.session.commit()
    message = _(
        "Approved: %(confirmed)s confirmed, %(waitlisted)s on the waitlist.",
        confirmed=confirmed,
        waitlisted=waitlisted,
    )
    flash(message, "success")
    return redirect(url_for("events.attendees_page", event_id=event.id, show="pending"))


@bp.route("/events/<int:event_id>/attendees/<int:registration_id>/approve", methods=["POST"])
@hosts_of_event
def approve(event, registration_id):
    found = registration.approve(event.id, _registration(event, registration_id).id)
    db.session.commit()
    if found.status == RegistrationStatus.WAITLISTED:
        flash(
            _("Approved; no seat is free, so %(name)s is on the waitlist.", name=found.user.name),
            "info",
        )
    else:
        flash(_("%(name)s is confirmed.", name=found.user.name), "success")
    return redirect(url_for("events.attendees_page", event_id=event.id, show="pending"))


@bp.route("/events/<int:event_id>/attendees/<int:registration_id>/reject", methods=["POST"])
@hosts_of_event
def reject(event, registration_id):
    form = RejectForm()
    if form.validate_on_submit():
        found = registration.reject(
            event.id, _registration(event, registration_id).id, form.reason.data or ""
        )
        db.session.commit()
        flash(_("%(name)s is declined and has been told.", name=found.user.name), "info")
    return redirect(url_for("events.attendees_page", event_id=event.id, show="pending"))


@bp.route("/events/<int:event_id>/attendees.csv")
@hosts_of_event
def attendees_csv(event):
    return send_file(
        io.BytesIO(attendees.attendees_csv(event).encode()),
        mimetype="text/csv",
        download_name=f"attendees-{event.id}.csv",
        as_attachment=True,
    )


@bp.route("/t/<token>", methods=["GET", "POST"])
@login_required
def ticket(token):
    """The QR code on a card: a host of the event sees the person and a button to check them
    in (a GET changes nothing: link previews fetch it too); others see the profile."""
    found = attendees.registration_by_ticket(token)
    if found is None:
        abort(404)
    event = found.event
    if not event.is_hosted_by(current_user):
        return redirect(url_for("members.profile", user_id=found.user_id))
    outcome = attendees.door_outcome(found, check_in=request.method == "POST")
    db.session.commit()
    return render_template("events/ticket.html", event=event, person=found, outcome=outcome)


@bp.route("/t/<token>/code.png")
def ticket_code(token):
    """The ticket's QR code as a picture, for the confirmation mail (mail shows no SVG).
    Whoever holds the token may have it: the link it draws holds nothing more."""
    if attendees.registration_by_ticket(token) is None:
        abort(404)
    response = send_file(
        io.BytesIO(qr_png(external_url("events.ticket", token=token))), mimetype="image/png"
    )
    response.cache_control.max_age = 86400
    return response


@bp.route("/events/<int:event_id>/door")
@hosts_of_event
def door(event):
    return _door_page(event, WalkInForm())


def _door_page(event, walk_in_form):
    """Door mode: the phone's camera reads tickets in the page and checks each in; below,
    a member who did not register is found by name, or someone new is added."""
    find = request.args.get("find", "").strip()[:100]
    page = render_template(
        "events/door.html",
        event=event,
        walk_in_form=walk_in_form,
        find=find,
        found=attendees.find_at_the_door(event.id, find) if find else None,
    )
    response = make_response(page)
    response.headers["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()"
    return response


@bp.route("/events/<int:event_id>/door/walk-in", methods=["POST"])
@hosts_of_event
def walk_in(event):
    member_id = whole_number(request.form.get("member_id"))
    if member_id is not None:  # found by name on the door page
        run_action(
            lambda: attendees.walk_in_member(event.id, member_id),
            lambda seat: _("%(name)s is in: confirmed and checked in.", name=seat.user.name),
        )
        return redirect(url_for("events.door", event_id=event.id))
    form = WalkInForm()
    if form.validate_on_submit():
        done = run_action(
            lambda: attendees.walk_in(event.id, email=form.email.data, name=form.name.data),
            lambda result: (
                _("%(name)s is in: confirmed and checked in.", name=result[0].user.name)
                + (" " + _("A link to set a password is on its way.") if result[1] else "")
            ),
            form=form,
        )
        if done:
            return redirect(url_for("events.door", event_id=event.id))
    return _door_page(event, form)


@bp.route("/events/<int:event_id>/door", methods=["POST"])
@hosts_of_event
def door_check_in(event):
    """One scanned code: the result, large, as a fragment door.js puts on the page."""
    found, outcome = attendees.scan_at_door(event.id, request.form.get("ticket", ""))
    db.session.commit()
    return render_template("events/_door_result.html", event=event, person=found, outcome=outcome)
