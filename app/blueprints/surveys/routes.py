"""Surveys: hosts build and read them; the audience answers, on a phone, from an emailed link."""

from flask import (
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.surveys import bp
from app.blueprints.surveys.forms import QuestionForm, SurveyForm
from app.extensions import db, login_manager
from app.labels import AUDIENCE_LABELS, QUESTION_KIND_LABELS
from app.models import Audience, Question, Role, Survey
from app.models.types import KYIV_ZONE, utcnow
from app.security import hosts_of_event, managers_of_survey, role_required
from app.services import surveys
from app.services.errors import DomainError
from app.services.spreadsheets import csv_lines


def _local(moment, zone):
    return moment.replace(tzinfo=zone) if moment else None


@bp.route("/events/<int:event_id>/surveys", methods=["GET", "POST"])
@hosts_of_event
def event_surveys(event):
    return _create(event, url_for("surveys.event_surveys", event_id=event.id))


@bp.route("/surveys/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def pulse_surveys():
    return _create(None, url_for("surveys.pulse_surveys"))


def _create(event, here):
    form = SurveyForm()
    if request.method == "GET" and event is None:
        form.audience.data = Audience.MEMBERS
    if form.validate_on_submit():
        zone = event.zone if event else KYIV_ZONE
        survey = surveys.building.create_survey(
            current_user,
            event=event,
            title=form.title.data,
            anonymous=form.anonymous.data,
            audience=form.audience.data if event else Audience.MEMBERS,
            opens_at=_local(form.opens_at.data, zone) or (None if event else utcnow()),
            closes_at=_local(form.closes_at.data, zone),
            with_template=form.template.data,
        )
        db.session.commit()
        return redirect(url_for("surveys.builder", survey_id=survey.id))
    existing = (
        surveys.building.surveys_of_event(event.id) if event else surveys.building.pulse_surveys()
    )
    return render_template(
        "surveys/list.html",
        form=form,
        event=event,
        surveys=existing,
        here=here,
        audience_labels=AUDIENCE_LABELS,
    )


@bp.route("/surveys/<int:survey_id>/edit", methods=["GET", "POST"])
@managers_of_survey
def builder(survey):
    form = QuestionForm()
    if form.validate_on_submit():
        if surveys.building.has_answers(survey):
            flash(_("People have answered already: the questions can no longer change."), "danger")
        else:
            surveys.building.add_question(
                survey,
                kind=form.kind.data,
                text=form.text.data,
                options=form.option_list,
                required=form.required.data,
            )
            db.session.commit()
            flash(_("The question is added."), "success")
            return redirect(url_for("surveys.builder", survey_id=survey.id) + "#questions")
    return render_template(
        "surveys/builder.html",
        survey=survey,
        form=form,
        kind_labels=QUESTION_KIND_LABELS,
        audience_labels=AUDIENCE_LABELS,
        locked=surveys.building.has_answers(survey),
    )


def _question(survey: Survey, question_id: int) -> Question:
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    if surveys.building.has_answers(survey):
        flash(_("People have answered already: the questions can no longer change."), "danger")
        return None
    return question


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>", methods=["POST"])
@managers_of_survey
def change_question(survey, question_id):
    question = _question(survey, question_id)
    if question is not None:
        action = request.form.get("action")
        if action == "delete":
            survey.questions.remove(question)
        elif action in ("up", "down"):
            surveys.building.move_question(survey, question, -1 if action == "up" else 1)
        elif action == "save":
            form = QuestionForm(kind=question.kind)
            form.kind.data = question.kind
            if form.validate():
                surveys.building.edit_question(
                    question,
                    text=form.text.data,
                    options=form.option_list,
                    required=form.required.data,
                )
            else:
                flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "danger")
        db.session.commit()
    return redirect(url_for("surveys.builder", survey_id=survey.id) + "#questions")


@bp.route("/surveys/<int:survey_id>/schedule", methods=["POST"])
@managers_of_survey
def schedule(survey):
    if not survey.questions:
        flash(_("Add at least one question first."), "danger")
    else:
        survey.scheduled = request.form.get("scheduled") == "yes"
        db.session.commit()
        flash(
            _("Scheduled: invitations go out when the survey opens.")
            if survey.scheduled
            else _("Not scheduled: nothing will be sent."),
            "success",
        )
    return redirect(url_for("surveys.builder", survey_id=survey.id))


def _answering_user(survey: Survey):
    token = request.values.get("token")
    if token:
        return surveys.answering.user_for_token(survey.id, token) or abort(404)
    if not current_user.is_authenticated:
        return None
    return current_user


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
def answer(survey_id):
    if request.args.get("preview") == "1":
        return _preview(survey_id=survey_id)
    survey = db.session.get(Survey, survey_id) or abort(404)
    user = _answering_user(survey)
    if user is None:
        return login_manager.unauthorized()
    try:
        surveys.answering.check_can_answer(survey, user, utcnow())
    except DomainError as error:
        return render_template("surveys/closed.html", survey=survey, message=error.message)
    values, problems = {}, {}
    if request.method == "POST":
        answers, problems = surveys.answering.read_answers(survey, request.form)
        values = {key: request.form.getlist(key) for key in request.form}
        if not problems:
            try:
                may_quote = request.form.get("may_quote") == "yes"
                surveys.answering.submit(survey, user, answers, may_quote=may_quote)
            except DomainError as error:
                db.session.rollback()
                return render_template("surveys/closed.html", survey=survey, message=error.message)
            db.session.commit()
            # Post/redirect/get: Back or a reload after sending never sends again.
            return redirect(url_for("surveys.thanks"))
    return render_template(
        "surveys/answer.html",
        survey=survey,
        preview=False,
        values=values,
        problems=problems,
        token=request.values.get("token", ""),
    )


@bp.route("/surveys/thanks")
def thanks():
    return render_template("surveys/thanks.html")


@managers_of_survey
def _preview(survey):
    return render_template(
        "surveys/answer.html", survey=survey, preview=True, values={}, problems={}
    )


@bp.route("/surveys/<int:survey_id>/results")
@managers_of_survey
def results(survey):
    return render_template(
        "surveys/results.html",
        survey=survey,
        results=surveys.results.results(survey),
        kind_labels=QUESTION_KIND_LABELS,
    )


@bp.route("/surveys/<int:survey_id>/results.csv")
@managers_of_survey
def results_csv(survey):
    # Sent as it is written: a survey of thousands of answers is never held whole.
    lines = csv_lines(surveys.results.results_rows(survey))
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="survey-{survey.id}.csv"'},
    )
