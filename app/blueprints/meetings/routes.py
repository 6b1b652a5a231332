"""A meeting, from a live round or random coffee: did it happen, how was it, stay in touch."""

from flask import flash, redirect, render_template, request
from flask_babel import gettext as _

from app.blueprints.meetings import bp
from app.blueprints.meetings.forms import FeedbackForm
from app.extensions import db
from app.models import Meeting
from app.security import is_safe_next, people_of_meeting
from app.services import meetings


@bp.route("/meetings/<int:meeting_id>/feedback", methods=["GET", "POST"])
@people_of_meeting
def feedback(member):
    form = FeedbackForm(obj=member if request.method == "GET" else None)
    # The answer chosen in the email is only preselected: mail scanners and link previews
    # open every link, so nothing is saved until the person presses the button.
    chosen = request.args.get("met") if request.method == "GET" else None
    if chosen in meetings.MET_ANSWERS:
        form.met.data = chosen
    if request.method == "GET":
        form.rating.data = str(member.rating) if member.rating else None
    if form.validate_on_submit():
        sent = request.form  # a one-tap button sends one answer; the full form sends all
        meetings.record_feedback(
            member,
            met=form.met.data or None,
            rating=int(form.rating.data) if form.rating.data else None,
            wants_contact=form.wants_contact.data if "contact" in sent else None,
            comment=form.comment.data if "comment" in sent else None,
        )
        db.session.commit()
        if "comment" in sent:
            # The full form. A one-tap button on the live page shows itself pressed: a banner
            # there would stay at the top of the page through the later rounds.
            flash(_("Thank you! Your answer is saved."), "success")
        back = request.form.get("next")
        return redirect(back if is_safe_next(back) else request.full_path)
    meeting = db.session.get(Meeting, member.meeting_id)
    return render_template(
        "meetings/feedback.html",
        form=form,
        member=member,
        meeting=meeting,
        visible=meetings.visible_contacts(meeting, member.user_id),
        token=request.values.get("token", ""),
        to_confirm=chosen in meetings.MET_ANSWERS,
    )
