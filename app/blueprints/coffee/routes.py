"""Random coffee: joining, the settings and one's matches."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.coffee import bp
from app.blueprints.coffee.forms import CoffeeForm
from app.extensions import db
from app.labels import COFFEE_FORMAT_LABELS, COFFEE_FREQUENCY_LABELS
from app.security import login_required
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
