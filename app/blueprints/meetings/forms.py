from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, TextAreaField
from wtforms.validators import AnyOf, Length, Optional

from app.blueprints.forms import Form
from app.models import MetAnswer


class FeedbackForm(Form):
    met = RadioField(
        _l("Did you meet?"),
        choices=[
            SelectChoice(MetAnswer.YES, _l("We met")),
            SelectChoice(MetAnswer.NOT_YET, _l("Not yet")),
            SelectChoice(MetAnswer.NO, _l("It didn't happen")),
        ],
        validators=[Optional(), AnyOf(list(MetAnswer))],
        validate_choice=False,  # a one-tap button sends only some of the fields
    )
    rating = RadioField(
        _l("How was it?"),
        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
        validators=[Optional(), AnyOf([str(n) for n in range(1, 6)])],
        validate_choice=False,
    )
    wants_contact = BooleanField(_l("Stay in touch: share contacts if they want to as well"))
    comment = TextAreaField(_l("Anything to tell the organisers?"), validators=[Length(max=2000)])
