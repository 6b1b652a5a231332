from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.blueprints.forms import EditVersionField, Form
from app.i18n import SPOKEN_LANGUAGE_LABELS
from app.models.people import REASON_LENGTH
from app.services.profiles import MAX_TAGS, parse_tags


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class TagsField(StringField):
    """Comma-separated tags; the page turns the field into chips with suggestions."""

    @property
    def tags(self) -> list[str]:
        return parse_tags(self.data or "")

    def pre_validate(self, form):
        if len(self.tags) > MAX_TAGS:
            raise ValidationError(_l("Up to %(count)s tags, please.", count=MAX_TAGS))


class ProfileForm(Form):
    edit_version = EditVersionField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    sector_id = SelectField(_l("Sector"), coerce=int)
    organisation = StringField(_l("Organisation"), validators=[Length(max=160)])
    city = StringField(_l("City"), validators=[Length(max=80)])
    languages = MultiCheckboxField(
        _l("Languages I speak"),
        choices=[SelectChoice(code, label) for code, label in SPOKEN_LANGUAGE_LABELS.items()],
    )
    bio = TextAreaField(_l("About me"), validators=[Length(max=1000)])
    contact = StringField(
        _l("Contact"),
        validators=[Length(max=120)],
        description=_l(
            "Telegram, phone or a link. Shown only to people you agree to share it with."
        ),
    )
    show_going = BooleanField(
        _l("Show me among the people going to an event"),
        description=_l(
            "Signed-in members then see your name, sector and organisation on the page of each"
            " event you are going to. Guests see only how many are going."
        ),
    )
    interests = TagsField(_l("Interests"), description=_l("Separate with commas."))
    offers = TagsField(_l("I can help with"), description=_l("Skills and knowledge you share."))
    asks = TagsField(_l("I am looking for"), description=_l("Help, partners, ideas you need."))


class DeleteAccountForm(Form):
    password = PasswordField(_l("Your password"), validators=[DataRequired()])
    understood = BooleanField(
        _l("I understand that my profile is erased and cannot be restored."),
        validators=[DataRequired(message=_l("Tick this box to confirm."))],
    )


class NoteForm(Form):
    text = TextAreaField(
        _l("A note about this member"),
        validators=[DataRequired(), Length(max=2000)],
        description=_l("Seen by hosts and admins only; the member reads it in their data export."),
    )


class MeetRequestForm(Form):
    reason = TextAreaField(
        _l("Why would you like to meet?"),
        validators=[DataRequired(), Length(max=REASON_LENGTH)],
        description=_l(
            "The community manager reads it and, if it fits, introduces you. "
            "They are told who asked only when the introduction is sent."
        ),
    )
