"""Which mail a member receives: their own page, and the one-click unsubscribe from a mail."""

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.preferences import bp
from app.blueprints.preferences.forms import PreferencesForm
from app.extensions import csrf, db
from app.labels import MAIL_CATEGORY_LABELS
from app.models import MailCategory
from app.security import login_required
from app.services import preferences, telegram
from app.services.telegram import linking


@bp.route("/me/preferences", methods=["GET", "POST"])
@login_required
def preferences_page():
    form = PreferencesForm()
    # Telegram is offered beside email once the member's chat is linked and working.
    link = linking.link_of(current_user.id) if telegram.enabled() else None
    with_telegram = link is not None and link.broken_at is None
    if form.validate_on_submit():
        chosen = set(form.category.data)
        in_telegram = set(request.form.getlist("telegram"))
        for category in MailCategory:
            if category in preferences.OPTIONAL_BY_EMAIL:
                preferences.set_choice(current_user, category, category in chosen)
            if with_telegram:
                preferences.set_choice(
                    current_user, category, category in in_telegram, preferences.TELEGRAM
                )
        db.session.commit()
        flash(_("Your choice is saved."), "success")
        return redirect(url_for("preferences.preferences_page"))
    return render_template(
        "preferences/preferences.html",
        choices=preferences.choices_of(current_user.id),
        telegram_choices=(
            preferences.choices_of(current_user.id, preferences.TELEGRAM) if with_telegram else None
        ),
        labels=MAIL_CATEGORY_LABELS,
    )


# A mail provider's one-click unsubscribe (RFC 8058) POSTs without a form token: the
# signed link is the credential, and it can do one thing only.
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token):
    found = preferences.read_unsubscribe_token(token)
    if found is None:
        abort(404)
    user, category = found
    if "lang" not in session:  # speak the language of the mail that brought them here
        session["lang"] = user.locale
    done = request.method == "POST"
    if done:  # a GET only asks: mail scanners open every link
        preferences.set_choice(user, category, False)
        db.session.commit()
    return render_template(
        "preferences/unsubscribe.html",
        category_label=MAIL_CATEGORY_LABELS[category],
        done=done,
        email=user.email,
    )
