from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.blueprints.forms import Form
from app.models.people import REASON_LENGTH


class IntroductionForm(Form):
    first_id = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    second_id = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])
    request_id = IntegerField(widget=HiddenField.widget, validators=[Optional()])
    reason = TextAreaField(
        _l("Why should they meet?"),
        validators=[DataRequired(), Length(max=REASON_LENGTH)],
        description=_l("Both of them read this first. Say what each can give the other."),
    )


class PersonalNoteForm(Form):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=150)])
    text = TextAreaField(
        _l("Message"),
        validators=[DataRequired(), Length(max=5000)],
        description=_l(
            "It goes from the community's address, signed with your name; "
            "replies come to your own email."
        ),
    )
