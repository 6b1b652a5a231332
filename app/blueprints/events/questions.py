"""The questions a host adds to an event's registration form."""

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.blueprints.actions import run_action
from app.blueprints.events import bp
from app.blueprints.events.forms import RegistrationQuestionForm
from app.labels import REGISTRATION_QUESTION_KIND_LABELS
from app.security import hosts_of_event
from app.services import registration_questions


@bp.route("/events/<int:event_id>/questions", methods=["GET", "POST"])
@hosts_of_event
def questions_page(event):
    form = RegistrationQuestionForm()
    if form.validate_on_submit():
        added = run_action(
            lambda: registration_questions.add_question(
                event,
                kind=form.kind.data,
                text=form.text.data,
                options=form.option_list,
                required=form.required.data,
            ),
            _("The question is added to the registration form."),
            form=form,
        )
        if added:
            return redirect(url_for("events.questions_page", event_id=event.id))
    return render_template(
        "events/questions.html",
        event=event,
        form=form,
        kind_labels=REGISTRATION_QUESTION_KIND_LABELS,
    )


@bp.route("/events/<int:event_id>/questions/<int:question_id>/remove", methods=["POST"])
@hosts_of_event
def remove_question(event, question_id):
    run_action(
        lambda: registration_questions.remove_question(event, question_id),
        _("The question is removed; answers already given are kept."),
    )
    return redirect(url_for("events.questions_page", event_id=event.id))


@bp.route("/events/<int:event_id>/questions/<int:question_id>/move", methods=["POST"])
@hosts_of_event
def move_question(event, question_id):
    step = -1 if request.form.get("direction") == "up" else 1
    run_action(lambda: registration_questions.move_question(event, question_id, step))
    return redirect(url_for("events.questions_page", event_id=event.id))
