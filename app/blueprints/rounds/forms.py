from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, RadioField, SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from app.blueprints.forms import Form
from app.blueprints.params import DATABASE_INT_MAX

DEFAULT_MINUTES = 7
CHOOSE_TWO = _l("Choose two people from different tables to swap.")


class DraftForm(Form):
    minutes = IntegerField(
        _l("Minutes per round"), validators=[Optional(), NumberRange(min=1, max=120)]
    )


class SwapForm(Form):
    """Two attendees of the draft, by their member ids, who trade partners."""

    first = IntegerField(validators=[InputRequired(CHOOSE_TWO), NumberRange(1, DATABASE_INT_MAX)])
    second = IntegerField(validators=[InputRequired(CHOOSE_TWO), NumberRange(1, DATABASE_INT_MAX)])


class PresenceForm(Form):
    """Whether an attendee has left the evening (the console's button sends it, hidden)."""

    left = RadioField(choices=[SelectChoice("yes", "yes"), SelectChoice("no", "no")])
