"""Random coffee settings and matches, and feedback on any meeting (coffee or live)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.coffee import bp
from app.blueprints.coffee.forms import CoffeeForm, FeedbackForm
from app.extensions import db
from app.labels import COFFEE_FORMAT_LABELS, COFFEE_FREQUENCY_LABELS
from app.models import Meeting
from app.security import is_safe_next, login_required, people_of_meeting
from app.services import coffee, meetings


@bp.route("/coffee", methods=["GET", "POST"])
@login_required
def coffee_page():
    subscription = coffee.subscription_of(current_user)
    form = CoffeeForm(obj=subscription if request.method == "GET" else None)
    if form.validate_on_submit():
        coffee.subscribe(
            current_user,
            frequency=form.frequency.data,
            format=form.format.data,
            paused_until=form.paused_until.data,
            share_contact=form.share_contact.data,
        )
        db.session.commit()
        flash(_("You are in random coffee. We will email you your next match."), "success")
        return redirect(url_for("coffee.coffee_page"))
    return render_template(
        "coffee/coffee.html",
        form=form,
        subscription=subscription,
        frequency_labels=COFFEE_FREQUENCY_LABELS,
        format_labels=COFFEE_FORMAT_LABELS,
        my_meetings=coffee.my_coffee_meetings(current_user.id),
        connections=meetings.connections_of(current_user.id),
    )


@bp.route("/coffee/leave", methods=["POST"])
@login_required
def leave():
    coffee.leave(current_user)
    db.session.commit()
    flash(_("You have left random coffee. Come back any time."), "info")
    return redirect(url_for("coffee.coffee_page"))


@bp.route("/meetings/<int:meeting_id>/feedback", methods=["GET", "POST"])
@people_of_meeting
def meeting_feedback(member):
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
        flash(_("Thank you! Your answer is saved."), "success")
        back = request.form.get("next")
        return redirect(back if is_safe_next(back) else request.full_path)
    meeting = db.session.get(Meeting, member.meeting_id)
    return render_template(
        "coffee/feedback.html",
        form=form,
        member=member,
        meeting=meeting,
        visible=meetings.visible_contacts(meeting, member.user_id),
        token=request.values.get("token", ""),
        to_confirm=chosen in meetings.MET_ANSWERS,
    )
