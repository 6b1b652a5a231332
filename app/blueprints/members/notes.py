"""The team's private notes about a member, kept on the member's page for hosts and admins."""

from flask import redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.actions import run_action
from app.blueprints.members import bp
from app.blueprints.members.forms import NoteForm
from app.blueprints.members.routes import profile_page
from app.models import Role
from app.security import role_required
from app.services import notes


def _back(user_id: int):
    return redirect(url_for("members.profile", user_id=user_id) + "#notes")


@bp.route("/members/<int:user_id>/notes", methods=["POST"])
@role_required(Role.HOST, Role.ADMIN)
def add_note(user_id):
    form = NoteForm()
    if form.validate_on_submit():
        added = run_action(
            lambda: notes.add_note(current_user, user_id, form.text.data),
            _("The note is kept."),
            form=form,
        )
        if added:
            return _back(user_id)
    return profile_page(user_id, form)


@bp.route("/members/notes/<int:note_id>", methods=["POST"])
@role_required(Role.HOST, Role.ADMIN)
def edit_note(note_id):
    """An edit of one's own note; a wrong one says why and the note stays as it was."""
    about = notes.about_of(note_id)
    run_action(
        lambda: notes.edit_note(current_user, note_id, request.form.get("text", "")),
        _("The note is saved."),
    )
    return _back(about) if about else redirect(url_for("members.directory_page"))


@bp.route("/members/notes/<int:note_id>/delete", methods=["POST"])
@role_required(Role.HOST, Role.ADMIN)
def remove_note(note_id):
    removed = run_action(
        lambda: notes.remove_note(current_user, note_id), _("The note is removed.")
    )
    if removed:
        return _back(removed.result)
    return redirect(url_for("members.directory_page"))
