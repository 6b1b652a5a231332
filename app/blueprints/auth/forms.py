from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectChoice,
    StringField,
)
from wtforms.validators import DataRequired, EqualTo, Length

from app.blueprints.forms import EMAIL_RULES, Form
from app.blueprints.main.forms import AGREE_REQUIRED
from app.i18n import LANGUAGE_NAMES

PASSWORD_RULES = [
    DataRequired(),
    Length(min=8, max=128, message=_l("Use at least 8 characters.")),
]


class SignupForm(Form):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    email = EmailField(_l("Email"), validators=EMAIL_RULES)
    password = PasswordField(_l("Password"), validators=PASSWORD_RULES)
    locale = RadioField(
        _l("Language"),
        choices=[SelectChoice(code, name) for code, name in LANGUAGE_NAMES.items()],
        default="uk",
    )
    # Removed by the view while the community has published no policies.
    agree = BooleanField(
        _l("I agree to the privacy policy and the terms"),
        validators=[DataRequired(message=AGREE_REQUIRED)],
    )
    next = HiddenField()


class LoginForm(Form):
    email = EmailField(_l("Email"), validators=EMAIL_RULES)
    password = PasswordField(_l("Password"), validators=[DataRequired()])
    remember = BooleanField(_l("Remember me"))
    next = HiddenField()


class ResetRequestForm(Form):
    email = EmailField(_l("Email"), validators=EMAIL_RULES)


class NewPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES)
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )


class InvitationForm(Form):
    """Joining through an invitation: the name as the list had it, a password, consent."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(_l("Choose a password"), validators=PASSWORD_RULES)
    agree = BooleanField(
        _l("I agree to the privacy policy and the terms"),
        validators=[DataRequired(message=AGREE_REQUIRED)],
    )
