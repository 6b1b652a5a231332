"""Events proposed by members, and the queue where hosts and admins decide on them."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints import once
from app.blueprints.actions import run_action
from app.blueprints.events import bp
from app.blueprints.events.forms import DeclineForm, EventForm
from app.blueprints.events.routes import event_details
from app.branding import current_community
from app.models import EventStatus, Role
from app.security import login_required, role_required, visible
from app.services import events, proposals


def _proposal_form(**kwargs) -> EventForm:
    form = EventForm(**kwargs)
    del form.cohost_ids  # the hosts are chosen when it is approved
    return form


@bp.route("/events/propose", methods=["GET", "POST"])
@login_required
def propose():
    form = _proposal_form(is_new=True)
    if request.method == "GET":
        form.timezone.data = current_community().timezone
        form.starts_at.data, form.ends_at.data = events.default_local_times(form.timezone.data)
        form.once.data = once.new_key()
    if form.validate_on_submit():
        created = once.done(form.once.data)
        if created:
            return redirect(url_for("events.event_page", event_id=created))
        proposed = run_action(
            lambda: proposals.propose_event(current_user, event_details(form)),
            _("Thank you! Your proposal is sent; the hosts will answer by email."),
            form=form,
        )
        if proposed:
            once.remember(form.once.data, proposed.result.id)
            return redirect(url_for("events.event_page", event_id=proposed.result.id))
    return render_template("events/form.html", form=form, event=None, proposing=True)


@bp.route("/events/<int:event_id>/proposal", methods=["GET", "POST"])
@login_required
def edit_proposal(event_id):
    event = visible(events.event_with_hosts(event_id))
    if event.proposed_by_id != current_user.id or event.status != EventStatus.PROPOSED:
        abort(403)
    form = _proposal_form(obj=event if request.method == "GET" else None, is_new=False)
    if request.method == "GET":
        form.starts_at.data = event.local_starts_at.replace(tzinfo=None)
        form.ends_at.data = event.local_ends_at.replace(tzinfo=None)
    if form.validate_on_submit():
        saved = run_action(
            lambda: proposals.update_proposal(event.id, current_user, event_details(form)),
            _("Your proposal is updated."),
            form=form,
        )
        if saved:
            return redirect(url_for("events.event_page", event_id=event.id))
    return render_template("events/form.html", form=form, event=event, proposing=True)


@bp.route("/events/proposals")
@role_required(Role.HOST, Role.ADMIN)
def proposals_page():
    return render_template(
        "events/proposals.html", proposals=proposals.queue(), decline_form=DeclineForm()
    )


@bp.route("/events/<int:event_id>/proposal/approve", methods=["POST"])
@role_required(Role.HOST, Role.ADMIN)
def approve_proposal(event_id):
    approved = run_action(
        lambda: proposals.approve(event_id, current_user),
        _("Approved: it is a draft now, hosted by its proposer and you. Publish it together."),
    )
    if approved:
        return redirect(url_for("events.event_page", event_id=event_id))
    return redirect(url_for("events.proposals_page"))


@bp.route("/events/<int:event_id>/proposal/decline", methods=["POST"])
@role_required(Role.HOST, Role.ADMIN)
def decline_proposal(event_id):
    form = DeclineForm()
    if form.validate_on_submit():
        run_action(
            lambda: proposals.decline(event_id, current_user, form.reason.data),
            _("Declined; the proposer is told why."),
        )
        return redirect(url_for("events.proposals_page"))
    return render_template(
        "events/proposals.html",
        proposals=proposals.queue(),
        decline_form=form,
        declining=event_id,
    )
