"""Introductions: the team's queue and composer, the two people's answers, a member's request."""

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.actions import run_action
from app.blueprints.params import whole_number
from app.blueprints.people import bp
from app.blueprints.people.forms import IntroductionForm
from app.extensions import db
from app.models import Introduction, IntroductionAnswer, IntroductionStatus, Role
from app.models.types import utcnow
from app.security import role_required
from app.services import directory, introductions, meetings


@bp.route("/people/introductions")
@role_required(Role.HOST, Role.ADMIN)
def introductions_page():
    return render_template(
        "people/introductions.html",
        queue=introductions.queue(),
        search=_search(request.args.get("q", "")),
        q=request.args.get("q", "").strip()[:100],
    )


def _search(text: str) -> list:
    text = text.strip()[:100]
    if not text:
        return []
    found = directory.search_members(directory.DirectoryFilter(text=text), page=1, per_page=12)
    return list(found.items)


@bp.route("/people/introductions/new", methods=["GET", "POST"])
@role_required(Role.HOST, Role.ADMIN)
def new_introduction():
    """Compose one: the first person, then the second (from "who should they meet?" or a
    search), then why. Every step is a link, so a step back never loses the others."""
    form = IntroductionForm()
    if form.validate_on_submit():
        request_ = introductions.open_request(form.request_id.data)
        sent = run_action(
            lambda: introductions.introduce(
                form.first_id.data,
                form.second_id.data,
                form.reason.data,
                by=current_user,
                request=request_,
            ),
            _("The introduction is sent to both of them."),
            form=form,
        )
        if sent:
            return redirect(url_for("people.introductions_page"))
    if request.method == "POST":
        chosen = {"first": form.first_id.data, "second": form.second_id.data}
        request_ = introductions.open_request(form.request_id.data)
    else:
        chosen = {
            "first": whole_number(request.args.get("first"), low=1),
            "second": whole_number(request.args.get("second"), low=1),
        }
        request_ = introductions.open_request(whole_number(request.args.get("request"), low=1))
        if request_ is not None:
            chosen = {"first": request_.first_id, "second": request_.second_id}
            form.reason.data = request_.reason
    first = directory.member_profile(chosen["first"]) if chosen["first"] else None
    second = directory.member_profile(chosen["second"]) if chosen["second"] else None
    form.first_id.data = first.id if first else None
    form.second_id.data = second.id if second else None
    form.request_id.data = request_.id if request_ else None
    now, both = utcnow(), bool(first and second)
    return render_template(
        "people/introduce.html",
        form=form,
        first=first,
        second=second,
        request_=request_,
        candidates=introductions.candidates_for(first.id, now=now) if first and not second else [],
        reasons=introductions.reasons_for_pair(first.id, second.id, now) if both else [],
        q=request.args.get("q", "").strip()[:100],
        search=_search(request.args.get("q", "")) if not both else [],
    )


@bp.route("/people/introductions/<int:introduction_id>/dismiss", methods=["POST"])
@role_required(Role.HOST, Role.ADMIN)
def dismiss_introduction(introduction_id):
    introduction = db.get_or_404(Introduction, introduction_id)
    run_action(lambda: introductions.dismiss(introduction), _("The request is set aside."))
    return redirect(url_for("people.introductions_page"))


@bp.route("/people/introductions/<int:introduction_id>/answer", methods=["GET", "POST"])
def answer_introduction(introduction_id):
    """One of the two people answers: from the signed link in their mail, or signed in. The
    chosen answer is only preselected on GET; the button saves it (mail scanners open links)."""
    introduction = db.get_or_404(Introduction, introduction_id)
    token = request.values.get("token", "")
    user_id = introductions.user_for_token(introduction_id, token)
    if user_id is None and current_user.is_authenticated:
        user_id = current_user.id
    sent = introduction.sent_at is not None and introduction.status != IntroductionStatus.DISMISSED
    if user_id is None or introduction.side_of(user_id) is None or not sent:
        abort(404)  # to anyone else, or before the team sends it, it does not exist
    if request.method == "POST":
        reply = request.form.get("answer")
        done = run_action(
            lambda: introductions.answer(introduction, user_id, reply),
            _("Thank you! Your answer is saved."),
        )
        if done:
            return redirect(
                url_for("people.answer_introduction", introduction_id=introduction_id, token=token)
            )
    chosen = request.args.get("answer")
    return render_template(
        "people/answer.html",
        view=introductions.view_for(introduction, user_id),
        token=token,
        chosen=chosen if chosen in tuple(IntroductionAnswer) else None,
        first_question=(
            meetings.first_question(introduction.meeting) if introduction.meeting else None
        ),
        meeting_link=(
            meetings.feedback_link(introduction.meeting_id, user_id)
            if introduction.meeting_id
            else None
        ),
    )
