import io
import json

from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from wtforms import SelectChoice

from app.blueprints.actions import run_action
from app.blueprints.members import bp
from app.blueprints.members.forms import DeleteAccountForm, MeetRequestForm, NoteForm, ProfileForm
from app.blueprints.params import page_number, whole_number
from app.extensions import db
from app.labels import PROPOSAL_STATE_LABELS
from app.models.types import utcnow
from app.security import login_required
from app.services import (
    accounts,
    directory,
    history,
    levels,
    meetings,
    my_data,
    my_events,
    notes,
    profiles,
    proposals,
    story,
    telegram,
)
from app.services.links import external_url
from app.services.telegram import linking


@bp.route("/members/")
@login_required
def directory_page():
    criteria = directory.DirectoryFilter(
        text=request.args.get("q", "").strip()[:100],
        sector_id=whole_number(request.args.get("sector"), low=1),
        interest=request.args.get("interest", "").strip()[:60],
        city=request.args.get("city", "").strip()[:80],
    )
    page = directory.search_members(
        criteria,
        page=page_number(request.args),
        per_page=current_app.config["MEMBERS_PER_PAGE"],
    )
    return render_template(
        "members/directory.html",
        page=page,
        criteria=criteria,
        sectors=profiles.all_sectors(),
        cities=profiles.known_cities(),
        tags=profiles.popular_tags(),
    )


@bp.route("/members/<int:user_id>")
@login_required
def profile(user_id):
    return profile_page(user_id, NoteForm())


def profile_page(user_id: int, note_form: NoteForm, meet_form: MeetRequestForm | None = None):
    member = directory.member_profile(user_id)
    if member is None:
        abort(404)
    # Hosts look after the community: they see what a member came to, who they met, their
    # story, and the team's notes about them.
    looking_after = current_user.is_host
    their_history = history.member_history(member.id, utcnow()) if looking_after else None
    their_notes = notes.notes_about(member.id) if looking_after else None
    return render_template(
        "members/profile.html",
        member=member,
        blocked=meetings.has_blocked(current_user.id, member.id),
        history=their_history,
        story=story.member_story(member, their_history, their_notes) if looking_after else [],
        notes=their_notes,
        level=levels.level_of_member(member.id) if looking_after else None,
        note_form=note_form,
        meet_form=meet_form or MeetRequestForm(formdata=None),
        can_ask_to_meet=member.id != current_user.id and not current_user.is_host,
    )


@bp.route("/me/events")
@login_required
def my_events_page():
    return render_template(
        "members/my_events.html",
        mine=my_events.my_events(current_user.id, utcnow()),
        proposals=proposals.proposals_of(current_user.id),
        proposal_states=PROPOSAL_STATE_LABELS,
        activity=levels.activity_of(current_user.id),
    )


@bp.route("/me", methods=["GET", "POST"])
@login_required
def edit_profile():
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    form.sector_id.choices = [SelectChoice(0, _("— choose your sector —"))] + [
        SelectChoice(sector.id, sector.name) for sector in profiles.all_sectors()
    ]
    if request.method == "GET":
        form.sector_id.data = current_user.sector_id or 0
        for field in (form.interests, form.offers, form.asks):
            field.data = ", ".join(tag.name for tag in getattr(current_user, field.name))
    if form.validate_on_submit():
        if run_action(
            lambda: profiles.update_profile(
                current_user,
                name=form.name.data,
                sector_id=form.sector_id.data,
                organisation=form.organisation.data,
                city=form.city.data,
                languages=form.languages.data,
                bio=form.bio.data,
                contact=form.contact.data,
                interests=form.interests.tags,
                offers=form.offers.tags,
                asks=form.asks.tags,
                show_going=form.show_going.data,
                seen_version=form.edit_version.shown,
            ),
            _("Your profile is saved."),
        ):
            return redirect(url_for("members.profile", user_id=current_user.id))
        form.edit_version.data = current_user.edit_version  # checked: the next save goes
    return render_template(
        "members/edit.html",
        form=form,
        tags=profiles.popular_tags(),
        cities=profiles.known_cities(),
        calendar_url=external_url("events.calendar_feed", token=current_user.calendar_token),
        telegram_enabled=telegram.enabled(),
        telegram_link=linking.link_of(current_user.id) if telegram.enabled() else None,
    )


@bp.route("/me/export")
@login_required
def export_data():
    data = json.dumps(my_data.export_person(current_user), ensure_ascii=False, indent=2)
    return send_file(
        io.BytesIO(data.encode()),
        mimetype="application/json",
        download_name="spilno-my-data.json",
        as_attachment=True,
    )


@bp.route("/me/delete", methods=["GET", "POST"])
@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit() and run_action(
        lambda: accounts.delete_account(current_user, form.password.data), form=form
    ):
        logout_user()
        flash(_("Your account is deleted. Thank you for being part of the community."), "info")
        return redirect(url_for("main.home"))
    return render_template("members/delete.html", form=form)


@bp.route("/members/<int:user_id>/block", methods=["POST"])
@login_required
def block(user_id):
    """Private: the other person is never told, and the two are never paired again."""
    member = directory.member_profile(user_id)
    if member is None or member.id == current_user.id:
        abort(404)
    if request.form.get("undo") == "yes":
        meetings.unblock(current_user, member.id)
        flash(_("%(name)s can be matched with you again.", name=member.name), "info")
    else:
        meetings.block(current_user, member.id)
        flash(
            _("You will not be matched with %(name)s. They are not told.", name=member.name), "info"
        )
    db.session.commit()
    return redirect(url_for("members.profile", user_id=member.id))
