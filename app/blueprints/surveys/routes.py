"""Surveys: hosts build and read them; the audience answers, on a phone, from an emailed link."""

from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.downloads import download
from app.blueprints.events.access import managed_event
from app.blueprints.params import whole_number
from app.blueprints.surveys import bp
from app.blueprints.surveys.forms import AUDIENCE_LABELS, KIND_LABELS, QuestionForm, SurveyForm
from app.extensions import db, login_manager
from app.models import Question, QuestionKind, Survey
from app.models.types import utcnow
from app.security import require_login
from app.services import surveys
from app.services.errors import DomainError

KYIV = ZoneInfo("Europe/Kyiv")


def managed_survey(survey_id: int) -> Survey:
    """An event's survey belongs to its hosts; a community survey to the admins."""
    survey = db.session.get(Survey, survey_id) or abort(404)
    if survey.event_id is not None:
        managed_event(survey.event_id)
    else:
        require_login()
        if not current_user.is_admin:
            abort(403)
    return survey


def _local(moment, zone=KYIV):
    return moment.replace(tzinfo=zone) if moment else None


@bp.route("/events/<int:event_id>/surveys", methods=["GET", "POST"])
def event_surveys(event_id):
    event = managed_event(event_id)
    return _create(event, url_for("surveys.event_surveys", event_id=event.id))


@bp.route("/surveys/", methods=["GET", "POST"])
def pulse_surveys():
    require_login()
    if not current_user.is_admin:
        abort(403)
    return _create(None, url_for("surveys.pulse_surveys"))


def _create(event, here):
    form = SurveyForm()
    if request.method == "GET" and event is None:
        form.audience.data = "members"
    if form.validate_on_submit():
        zone = event.zone if event else KYIV
        survey = surveys.create_survey(
            current_user,
            event=event,
            title=form.title.data,
            anonymous=form.anonymous.data,
            audience=form.audience.data if event else "members",
            opens_at=_local(form.opens_at.data, zone) or (None if event else utcnow()),
            closes_at=_local(form.closes_at.data, zone),
            with_template=form.template.data,
        )
        db.session.commit()
        return redirect(url_for("surveys.builder", survey_id=survey.id))
    existing = surveys.surveys_of_event(event.id) if event else surveys.pulse_surveys()
    return render_template(
        "surveys/list.html", form=form, event=event, surveys=existing, here=here,
        audience_labels=AUDIENCE_LABELS,
    )  # fmt: skip


@bp.route("/surveys/<int:survey_id>/edit", methods=["GET", "POST"])
def builder(survey_id):
    survey = managed_survey(survey_id)
    form = QuestionForm()
    if form.validate_on_submit():
        if surveys.has_answers(survey):
            flash(_("People have answered already: the questions can no longer change."), "danger")
        else:
            surveys.add_question(
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
        kind_labels=KIND_LABELS,
        audience_labels=AUDIENCE_LABELS,
        locked=surveys.has_answers(survey),
    )


def _question(survey: Survey, question_id: int) -> Question:
    question = next((q for q in survey.questions if q.id == question_id), None)
    if question is None:
        abort(404)
    if surveys.has_answers(survey):
        flash(_("People have answered already: the questions can no longer change."), "danger")
        return None
    return question


@bp.route("/surveys/<int:survey_id>/questions/<int:question_id>", methods=["POST"])
def change_question(survey_id, question_id):
    survey = managed_survey(survey_id)
    question = _question(survey, question_id)
    if question is not None:
        action = request.form.get("action")
        if action == "delete":
            survey.questions.remove(question)
        elif action in ("up", "down"):
            surveys.move_question(survey, question, -1 if action == "up" else 1)
        elif action == "save":
            form = QuestionForm(kind=question.kind)
            form.kind.data = question.kind
            if form.validate():
                surveys.edit_question(
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
def schedule(survey_id):
    survey = managed_survey(survey_id)
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
        return surveys.user_for_token(survey.id, token) or abort(404)
    if not current_user.is_authenticated:
        return None
    return current_user


def _read_answers(survey: Survey):
    """The submitted answers, checked; with a message per question that needs one."""
    answers, problems = {}, {}
    for question in survey.questions:
        name = f"q{question.id}"
        if question.kind == QuestionKind.MULTIPLE:
            raw = request.form.getlist(name)
            chosen = {whole_number(v, high=len(question.options) - 1) for v in raw}
            value = sorted(chosen - {None})
        else:
            raw = request.form.get(name, "").strip()
            value = raw
            if raw and question.kind != QuestionKind.TEXT:
                limits = {
                    QuestionKind.RATING: (1, 5),
                    QuestionKind.NPS: (0, 10),
                    QuestionKind.SINGLE: (0, len(question.options) - 1),
                }[question.kind]
                value = whole_number(raw, low=limits[0], high=limits[1])
                if value is None:
                    problems[question.id] = _("Choose one of the options.")
                    continue
        if value in ("", []):
            if question.required:
                problems[question.id] = _("Please answer this question.")
            continue
        answers[question.id] = value
    return answers, problems


@bp.route("/surveys/<int:survey_id>", methods=["GET", "POST"])
def answer(survey_id):
    survey = db.session.get(Survey, survey_id) or abort(404)
    preview = request.args.get("preview") == "1"
    if preview:
        managed_survey(survey.id)
        return render_template(
            "surveys/answer.html", survey=survey, preview=True, values={}, problems={}
        )
    user = _answering_user(survey)
    if user is None:
        return login_manager.unauthorized()
    try:
        surveys.check_can_answer(survey, user, utcnow())
    except DomainError as error:
        return render_template("surveys/closed.html", survey=survey, message=error.message)
    values, problems = {}, {}
    if request.method == "POST":
        answers, problems = _read_answers(survey)
        values = {key: request.form.getlist(key) for key in request.form}
        if not problems:
            try:
                surveys.submit(survey, user, answers)
            except DomainError as error:
                db.session.rollback()
                return render_template("surveys/closed.html", survey=survey, message=error.message)
            db.session.commit()
            return render_template("surveys/thanks.html", survey=survey)
    return render_template(
        "surveys/answer.html",
        survey=survey,
        preview=False,
        values=values,
        problems=problems,
        token=request.values.get("token", ""),
    )


@bp.route("/surveys/<int:survey_id>/results")
def results(survey_id):
    survey = managed_survey(survey_id)
    return render_template(
        "surveys/results.html",
        survey=survey,
        results=surveys.results(survey),
        kind_labels=KIND_LABELS,
    )


@bp.route("/surveys/<int:survey_id>/results.csv")
def results_csv(survey_id):
    survey = managed_survey(survey_id)
    return download(surveys.results_csv(survey), "text/csv", f"survey-{survey.id}.csv")
