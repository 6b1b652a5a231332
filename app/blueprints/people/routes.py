"""Looking after people: who needs the team's attention, and a tap to reach them."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.actions import run_action
from app.blueprints.people import bp
from app.blueprints.people.forms import PersonalNoteForm
from app.extensions import db
from app.models import Role
from app.models.types import utcnow
from app.security import role_required
from app.services import attention, directory, introductions


@bp.route("/people/attention")
@role_required(Role.HOST, Role.ADMIN)
def attention_page():
    return render_template(
        "people/attention.html",
        drifting=attention.drifting(),
        quiet_newcomers=attention.quiet_newcomers(),
        twice_absent=attention.twice_absent(),
        next_event=attention.next_event(),
        unanswered=introductions.unanswered(utcnow()),
    )


@bp.route("/people/<int:user_id>/invite", methods=["POST"])
@role_required(Role.HOST, Role.ADMIN)
def invite(user_id):
    event = attention.invite_to_next_event(user_id, current_user)
    db.session.commit()
    if event is None:
        flash(_("There is no upcoming event to invite them to."), "warning")
    else:
        flash(_("Invited to %(title)s.", title=event.title), "success")
    return redirect(url_for("people.attention_page"))


@bp.route("/people/<int:user_id>/write", methods=["GET", "POST"])
@role_required(Role.HOST, Role.ADMIN)
def write(user_id):
    member = directory.member_profile(user_id) or abort(404)
    form = PersonalNoteForm()
    if form.validate_on_submit():
        sent = run_action(
            lambda: attention.write_to(user_id, current_user, form.subject.data, form.text.data),
            _("Your message to %(name)s is on its way.", name=member.name),
            form=form,
        )
        if sent:
            return redirect(url_for("people.attention_page"))
    return render_template("people/write.html", form=form, member=member)
