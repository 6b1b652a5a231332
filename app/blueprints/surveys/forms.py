from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from app.blueprints.forms import Form
from app.labels import AUDIENCE_LABELS, QUESTION_KIND_LABELS
from app.models import Audience, QuestionKind


class SurveyForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    audience = RadioField(
        _l("Who is asked"),
        choices=[SelectChoice(k, v) for k, v in AUDIENCE_LABELS.items()],
        default=Audience.CHECKED_IN,
    )
    anonymous = BooleanField(_l("Anonymous: answers are not linked to people"))
    opens_at = DateTimeLocalField(
        _l("Opens"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Empty: when the event ends (or at once, for a community survey)."),
    )
    closes_at = DateTimeLocalField(_l("Closes"), format="%Y-%m-%dT%H:%M", validators=[Optional()])
    template = BooleanField(_l("Start from the after-the-event questions"), default=True)

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if self.opens_at.data and self.closes_at.data and self.closes_at.data <= self.opens_at.data:
            self.closes_at.errors.append(_l("The survey must close after it opens."))
            return False
        return True


class QuestionForm(Form):
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k.value, v) for k, v in QUESTION_KIND_LABELS.items()]
    )
    text = StringField(_l("Question"), validators=[DataRequired(), Length(max=500)])
    options = TextAreaField(
        _l("Options, one a line"),
        description=_l("For one or several choices."),
        validators=[Length(max=4000)],
    )
    required = BooleanField(_l("An answer is required"))

    def validate(self, extra_validators=None):
        if not super().validate(extra_validators):
            return False
        if (
            self.kind.data in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
            and len(self.option_list) < 2
        ):
            self.options.errors.append(_l("Give at least two options."))
            return False
        return True

    @property
    def option_list(self) -> list[str]:
        return [line.strip() for line in (self.options.data or "").splitlines() if line.strip()]
