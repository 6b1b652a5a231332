"""A member's side of introductions: asking the team to meet someone, and their own list."""

from flask import redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.actions import run_action
from app.blueprints.members import bp
from app.blueprints.members.forms import MeetRequestForm, NoteForm
from app.blueprints.members.routes import profile_page
from app.security import login_required
from app.services import introductions


@bp.route("/members/<int:user_id>/meet", methods=["POST"])
@login_required
def ask_to_meet(user_id):
    form = MeetRequestForm()
    if form.validate_on_submit():
        asked = run_action(
            lambda: introductions.request_introduction(current_user, user_id, form.reason.data),
            _("Your request is with the community manager. You will hear from them by email."),
            form=form,
        )
        if asked:
            return redirect(url_for("members.profile", user_id=user_id))
    return profile_page(user_id, NoteForm(formdata=None), meet_form=form)


@bp.route("/me/introductions")
@login_required
def my_introductions():
    mine = introductions.of_member(current_user.id)
    views = [introductions.view_for(introduction, current_user.id) for introduction in mine]
    return render_template("members/introductions.html", views=views)
