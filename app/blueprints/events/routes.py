import io

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from app.blueprints import once
from app.blueprints.actions import run_action
from app.blueprints.events import bp
from app.blueprints.events.forms import EventForm
from app.blueprints.params import page_number
from app.branding import current_community
from app.extensions import db
from app.labels import EVENT_FORMAT_LABELS
from app.models import EventFormat, EventStatus, Role
from app.models.types import utcnow
from app.security import (
    has_role,
    hosts_of_event,
    login_required,
    role_required,
    viewer_id,
    visible,
)
from app.services import (
    calendar,
    events,
    proposals,
    registration,
    registration_questions,
    series,
)
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
        cards=events.cards(rows.items, viewer_id()),
        past=past,
        fmt=fmt,
        city=city,
        cities=events.event_cities(),
        format_labels=EVENT_FORMAT_LABELS,
        drafts=events.drafts_of(current_user) if has_role(Role.HOST, Role.ADMIN) else [],
        open_proposals=proposals.waiting_count() if has_role(Role.HOST, Role.ADMIN) else 0,
    )


@bp.route("/events/<int:event_id>")
def event_page(event_id):
    return _event_page(event_id)


def _event_page(event_id, *, typed=None, problems=None):
    """The event's page; after a registration with answers missing, with what was typed
    and what needs attention."""
    page = events.event_page(event_id, viewer_id())
    event = visible(page.event if page else None)
    return render_template(
        "events/event.html",
        event=event,
        mine=page.mine,
        confirmed=page.confirmed,
        seats_left=page.seats_left,
        is_open=registration.registration_is_open(event, utcnow()),
        is_host=event.is_hosted_by(current_user),
        format_labels=EVENT_FORMAT_LABELS,
        going=(
            events.going(event.id)
            if current_user.is_authenticated and event.status == EventStatus.PUBLISHED
            else None
        ),
        google_url=calendar.google_calendar_url(event),
        webcal_url=calendar.webcal_url(event),
        typed=typed,
        problems=problems,
        other_dates=series.other_dates(event, with_drafts=event.is_hosted_by(current_user)),
    )


def event_details(form: EventForm) -> EventDetails:
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
        cohost_ids=(form.cohost_ids.data or []) if "cohost_ids" in form else [],
        title_en=form.title_en.data or "",
        description_en=form.description_en.data or "",
        cover=form.cover.upload,
        remove_cover=form.remove_cover.data,
    )


def _host_choices(form: EventForm, event=None) -> None:
    choices = events.host_choices(event)
    form.cohost_ids.choices = [SelectChoice(h.id, h.name) for h in choices]


@bp.route("/events/new", methods=["GET", "POST"])
@role_required(Role.HOST, Role.ADMIN)
def new_event():
    form = EventForm(is_new=True)
    _host_choices(form)
    if request.method == "GET":
        form.timezone.data = current_community().timezone
        form.starts_at.data, form.ends_at.data = events.default_local_times(form.timezone.data)
        form.cohost_ids.data = [current_user.id]
        form.once.data = once.new_key()
    if form.validate_on_submit():
        created = once.done(form.once.data)
        if created:  # Back, then Save again: the event exists already
            flash(_("This event is saved already."), "info")
            return redirect(url_for("events.event_page", event_id=created))
        if form.repeat.data:
            repeat = series.Repeat(
                form.repeat.data, form.repeat_every.data or 1, form.repeat_until.data
            )
            created = run_action(
                lambda: series.create_series(current_user, event_details(form), repeat)[0],
                _("The series is saved as drafts. Publish it when it is ready."),
                form=form,
            )
        else:
            created = run_action(
                lambda: events.create_event(current_user, event_details(form)),
                _("The event is saved as a draft. Publish it when it is ready."),
                form=form,
            )
        if created:
            once.remember(form.once.data, created.result.id)
            return redirect(url_for("events.event_page", event_id=created.result.id))
    return render_template("events/form.html", form=form, event=None)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@hosts_of_event
def edit_event(event):
    form = EventForm(obj=event if request.method == "GET" else None, is_new=False)
    _host_choices(form, event)
    if request.method == "GET":
        form.starts_at.data = event.local_starts_at.replace(tzinfo=None)
        form.ends_at.data = event.local_ends_at.replace(tzinfo=None)
        if event.registration_closes_at:
            closes = event.registration_closes_at.astimezone(event.zone)
            form.registration_closes_at.data = closes.replace(tzinfo=None)
        form.cohost_ids.data = [host.id for host in event.hosts]
    if form.validate_on_submit():
        update = series.update_following if form.scope.data == "following" else events.update_event
        saved = run_action(
            lambda: update(
                event.id, current_user, event_details(form), seen_version=form.edit_version.shown
            ),
            lambda changes: (
                _("Saved. Attendees have been sent the new time or place.")
                if changes and event.status == EventStatus.PUBLISHED
                else _("The event is saved.")
            ),
            form=form,
        )
        if saved:
            return redirect(url_for("events.event_page", event_id=event.id))
        form.edit_version.data = event.edit_version  # checked, the next save goes through
    return render_template("events/form.html", form=form, event=event)


@bp.route("/events/<int:event_id>/publish", methods=["POST"])
@hosts_of_event
def publish(event):
    if request.form.get("scope") == "following":
        run_action(
            lambda: series.publish_following(event.id),
            lambda count: ngettext(
                "%(num)s event of the series is published.",
                "%(num)s events of the series are published.",
                count,
            ),
        )
    else:
        run_action(lambda: events.publish_event(event.id), _("The event is published."))
    return redirect(url_for("events.event_page", event_id=event.id))


@bp.route("/events/<int:event_id>/duplicate", methods=["POST"])
@hosts_of_event
def duplicate(event):
    copied = run_action(
        lambda: events.duplicate_event(event.id, current_user),
        _("A copy is saved as a draft, a week on or more: check its date and publish it."),
    )
    if copied:
        return redirect(url_for("events.edit_event", event_id=copied.result.id))
    return redirect(url_for("events.event_page", event_id=event.id))


@bp.route("/events/<int:event_id>/delete", methods=["POST"])
@hosts_of_event
def delete_draft(event):
    if run_action(lambda: events.delete_draft(event.id), _("The draft is deleted.")):
        return redirect(url_for("events.list_page"))
    return redirect(url_for("events.event_page", event_id=event.id))


@bp.route("/events/<int:event_id>/cancel", methods=["POST"])
@hosts_of_event
def cancel(event):
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm the cancellation."), "warning")
    else:
        run_action(
            lambda: events.cancel_event(event.id),
            _("The event is cancelled; everyone registered is told."),
        )
    return redirect(url_for("events.event_page", event_id=event.id))


@bp.route("/events/<int:event_id>/register", methods=["POST"])
@login_required
def register(event_id):
    event = visible(events.event_with_hosts(event_id))
    answers, problems = registration_questions.read_answers(event.questions, request.form)
    if problems:
        return _event_page(event.id, typed=request.form, problems=problems)
    run_action(
        lambda: registration.register(event.id, current_user, answers=answers),
        lambda seat: _status_message(seat.status),
    )
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
    event = visible(events.event_with_hosts(event_id))
    registration.cancel(event.id, current_user)
    db.session.commit()
    flash(_("Your registration is cancelled."), "info")
    return redirect(url_for("events.event_page", event_id=event.id))


@bp.route("/events/<int:event_id>.ics")
def event_ics(event_id):
    event = visible(events.event_with_hosts(event_id))
    return send_file(
        io.BytesIO(calendar.event_ics(event).encode()),
        mimetype="text/calendar",
        download_name=f"spilno-event-{event.id}.ics",
        as_attachment=True,
    )
