from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from app.blueprints.downloads import download
from app.blueprints.events import bp
from app.blueprints.events.access import managed_event, visible_event, visible_event_page
from app.blueprints.events.forms import FORMAT_LABELS, EventForm
from app.blueprints.feedback import show_domain_error
from app.blueprints.params import page_number
from app.extensions import db
from app.models import EventFormat, Role
from app.models.types import utcnow
from app.security import require_login
from app.services import calendar, events, registration
from app.services.errors import DomainError
from app.services.events import EventDetails


@bp.route("/events/")
def list_page():
    past = request.args.get("when") == "past"
    fmt = request.args.get("format", "")
    fmt = fmt if fmt in set(EventFormat) else ""
    city = request.args.get("city", "").strip()[:80]
    rows = events.list_events(past=past, format=fmt, city=city, page=page_number(request.args))
    return render_template(
        "events/list.html",
        page=rows,
        cards=events.cards(rows.items),
        past=past,
        fmt=fmt,
        city=city,
        cities=events.event_cities(),
        format_labels=FORMAT_LABELS,
        drafts=events.drafts_of(current_user) if _can_create() else [],
    )


def _can_create() -> bool:
    return current_user.is_authenticated and current_user.role in (Role.HOST, Role.ADMIN)


@bp.route("/events/<int:event_id>")
def event_page(event_id):
    page = visible_event_page(event_id)
    event = page.event
    return render_template(
        "events/event.html",
        event=event,
        mine=page.mine,
        confirmed=page.confirmed,
        seats_left=page.seats_left,
        is_open=registration.registration_is_open(event, utcnow()),
        is_host=event.is_hosted_by(current_user),
        format_labels=FORMAT_LABELS,
        google_url=calendar.google_calendar_url(event),
        webcal_url=calendar.webcal_url(event),
    )


def _details(form: EventForm) -> EventDetails:
    return EventDetails(
        title=form.title.data,
        description=form.description.data or "",
        format=form.format.data,
        starts_at=form.zone_time(form.starts_at),
        ends_at=form.zone_time(form.ends_at),
        timezone=form.timezone.data,
        venue=form.venue.data or "",
        address=form.address.data or "",
        city=form.city.data or "",
        online_url=form.online_url.data or "",
        capacity=form.capacity.data,
        requires_approval=form.requires_approval.data,
        registration_closes_at=form.zone_time(form.registration_closes_at),
        cohost_ids=form.cohost_ids.data or [],
    )


def _host_choices(form: EventForm) -> None:
    form.cohost_ids.choices = [SelectChoice(h.id, h.name) for h in events.host_choices()]


@bp.route("/events/new", methods=["GET", "POST"])
def new_event():
    require_login()
    if not _can_create():
        abort(403)
    form = EventForm(is_new=True)
    _host_choices(form)
    if request.method == "GET":
        form.starts_at.data, form.ends_at.data = events.default_local_times(form.timezone.data)
        form.cohost_ids.data = [current_user.id]
    if form.validate_on_submit():
        event = events.create_event(current_user, _details(form))
        db.session.commit()
        flash(_("The event is saved as a draft. Publish it when it is ready."), "success")
        return redirect(url_for("events.event_page", event_id=event.id))
    return render_template("events/form.html", form=form, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id):
    event = managed_event(event_id)
    form = EventForm(obj=event if request.method == "GET" else None, is_new=False)
    _host_choices(form)
    if request.method == "GET":
        form.starts_at.data = event.local_starts_at.replace(tzinfo=None)
        form.ends_at.data = event.local_ends_at.replace(tzinfo=None)
        if event.registration_closes_at:
            closes = event.registration_closes_at.astimezone(event.zone)
            form.registration_closes_at.data = closes.replace(tzinfo=None)
        form.cohost_ids.data = [host.id for host in event.hosts]
    if form.validate_on_submit():
        try:
            changes = events.update_event(event.id, current_user, _details(form))
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            if changes and event.status == "published":
                flash(_("Saved. Attendees have been sent the new time or place."), "success")
            else:
                flash(_("The event is saved."), "success")
            return redirect(url_for("events.event_page", event_id=event.id))
    return render_template("events/form.html", form=form, event=event)


def _host_action(event_id, action, done_message):
    managed_event(event_id)
    try:
        action(event_id)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(done_message, "success")
    return redirect(url_for("events.event_page", event_id=event_id))


@bp.route("/events/<int:event_id>/publish", methods=["POST"])
def publish(event_id):
    return _host_action(event_id, events.publish_event, _("The event is published."))


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
def cancel(event_id):
    if request.form.get("confirm") != "yes":
        managed_event(event_id)
        flash(_("Tick the box to confirm the cancellation."), "warning")
        return redirect(url_for("events.event_page", event_id=event_id))
    return _host_action(
        event_id, events.cancel_event, _("The event is cancelled; everyone registered is told.")
    )


@bp.route("/events/<int:event_id>/register", methods=["POST"])
@login_required
def register(event_id):
    event = visible_event(event_id)
    try:
        mine = registration.register(event.id, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "danger")
    else:
        db.session.commit()
        flash(_status_message(mine.status), "success")
    return redirect(url_for("events.event_page", event_id=event.id))


def _status_message(status: str) -> str:
    return {
        "confirmed": _("You are registered. See you there! The details are in your email."),
        "waitlisted": _("The event is full: you are on the waitlist. We will email you."),
        "pending": _("Thank you! The hosts will confirm your registration."),
    }.get(status, _("Saved."))


@bp.route("/events/<int:event_id>/unregister", methods=["POST"])
@login_required
def unregister(event_id):
    event = visible_event(event_id)
    registration.cancel(event.id, current_user)
    db.session.commit()
    flash(_("Your registration is cancelled."), "info")
    return redirect(url_for("events.event_page", event_id=event.id))


@bp.route("/events/<int:event_id>.ics")
def event_ics(event_id):
    event = visible_event(event_id)
    return download(calendar.event_ics(event), "text/calendar", f"spilno-event-{event.id}.ics")
