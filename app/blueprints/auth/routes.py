from flask import (
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import refresh
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user

from app.blueprints.actions import run_action, show_domain_error
from app.blueprints.auth import bp
from app.blueprints.auth.forms import (
    InvitationForm,
    LoginForm,
    NewPasswordForm,
    ResetRequestForm,
    SignupForm,
)
from app.branding import current_community
from app.extensions import db, limiter
from app.security import is_safe_next, login_required
from app.services import accounts, invitations
from app.services.errors import DomainError


def _next_url(form) -> str:
    target = form.next.data or request.args.get("next")
    return target if is_safe_next(target) else url_for("main.home")


# Logins are limited per account and address together, so a venue's shared Wi-Fi (or the
# proxy in front of the app) does not lock out the room; a generous per-address ceiling and a
# per-account limit across addresses stop wider guessing. Only failed tries count.
def _typed_email() -> str:
    return request.form.get("email", "").strip().lower()


def _account_and_address_key() -> str:
    return f"login:{_typed_email()}:{get_remote_address()}"


def _account_key() -> str:
    return f"login-account:{_typed_email()}"


def _login_failed(response) -> bool:
    return response.status_code != 302  # a successful login redirects


def _too_many_logins(_limit):
    """The login page again, with what was typed, saying to wait."""
    form = LoginForm()
    form.password.data = ""
    form.email.errors = [_("Too many attempts. Please wait a minute before trying again.")]
    return make_response(render_template("auth/login.html", form=form), 429)


def _limit(setting: str):
    return limiter.limit(
        lambda: current_app.config[setting],
        methods=["POST"],
        key_func={
            "LOGIN_RATE_LIMIT": _account_and_address_key,
            "LOGIN_ADDRESS_LIMIT": get_remote_address,
            "LOGIN_ACCOUNT_LIMIT": _account_key,
        }[setting],
        deduct_when=_login_failed,
        on_breach=_too_many_logins,
    )


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignupForm(locale=session.get("lang", "uk"))
    policies = current_community().policy_version
    if not policies:
        del form.agree
    if form.validate_on_submit():
        joined = run_action(
            lambda: accounts.create_user(
                email=form.email.data,
                name=form.name.data,
                password=form.password.data,
                locale=form.locale.data,
                consent_version=policies,
                confirmed=False,
            ),
            form=form,
        )
        if joined:
            login_user(joined.result)
            refresh()  # speak the new member's chosen language from here on
            flash(
                _(
                    "Welcome to the community! We have sent you a link to confirm your email; "
                    "meanwhile, tell others a little about yourself."
                ),
                "success",
            )
            return redirect(_next_url(form) if form.next.data else url_for("members.edit_profile"))
    form.next.data = form.next.data or request.args.get("next", "")
    return render_template("auth/signup.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
@_limit("LOGIN_ADDRESS_LIMIT")
@_limit("LOGIN_ACCOUNT_LIMIT")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            login_user(user, remember=form.remember.data)
            session.pop("lang", None)  # from now on the member's saved language applies
            return redirect(_next_url(form))
    form.next.data = form.next.data or request.args.get("next", "")
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    locale = current_user.locale
    logout_user()
    session["lang"] = locale  # keep speaking the same language after logging out
    flash(_("You have logged out."), "info")
    return redirect(url_for("main.home"))


@bp.route("/reset", methods=["GET", "POST"])
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data)
        db.session.commit()
        session["reset_sent_to"] = form.email.data  # post/redirect/get: Back sends nothing
        return redirect(url_for("auth.reset_sent"))
    return render_template("auth/reset_request.html", form=form)


@bp.route("/reset/sent")
def reset_sent():
    email = session.get("reset_sent_to")
    if not email:
        return redirect(url_for("auth.request_reset"))
    return render_template("auth/reset_sent.html", email=email)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    try:
        user = accounts.user_for_reset_token(token)
    except DomainError as error:
        return render_template("auth/reset_invalid.html", message=error.message), 400
    if "lang" not in session:  # speak the language of the email that brought them here
        session["lang"] = user.locale
    form = NewPasswordForm()
    if form.validate_on_submit():
        accounts.reset_password(token, form.password.data)
        db.session.commit()
        flash(_("Your password is changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, user=user)


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token):
    """An imported member's link: their account is made when they choose a password."""
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    try:
        invitation = invitations.by_token(token)
    except DomainError as error:
        return render_template("auth/invitation_invalid.html", message=error.message), 400
    if "lang" not in session:
        session["lang"] = invitation.locale
    form = InvitationForm(name=invitation.name)
    policies = current_community().policy_version
    if not policies:
        del form.agree
    if form.validate_on_submit():
        joined = run_action(
            lambda: invitations.accept(
                token, name=form.name.data, password=form.password.data, consent_version=policies
            ),
            form=form,
        )
        if joined:
            login_user(joined.result)
            refresh()
            flash(
                _("Welcome! Check your profile: this is what the community knew of you."), "success"
            )
            return redirect(url_for("members.edit_profile"))
    return render_template("auth/invitation.html", form=form, invitation=invitation)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token):
    """The link from the mail shows a button: mail scanners open links, and a GET changes
    nothing."""
    if request.method == "POST":
        confirmed = run_action(lambda: accounts.confirm_email(token), _("Your email is confirmed."))
        if confirmed:
            return redirect(url_for("main.home"))
    return render_template("auth/confirm_email.html", token=token)


@bp.route("/confirm/again", methods=["POST"])
@login_required
def confirm_again():
    if current_user.email_confirmed_at is None:
        accounts.send_confirmation(current_user)
        db.session.commit()
        flash(_("A new link is on its way to %(email)s.", email=current_user.email), "info")
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("main.home"))
