from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, RadioField, SelectChoice
from wtforms.validators import Optional, ValidationError

from app.blueprints.forms import Form
from app.labels import COFFEE_FORMAT_LABELS, COFFEE_FREQUENCY_LABELS
from app.models.types import utcnow


class CoffeeForm(Form):
    frequency = RadioField(
        _l("How often"),
        choices=[SelectChoice(k, v) for k, v in COFFEE_FREQUENCY_LABELS.items()],
        default="weekly",
    )
    format = RadioField(
        _l("How to meet"),
        choices=[SelectChoice(k, v) for k, v in COFFEE_FORMAT_LABELS.items()],
        default="either",
    )
    share_contact = BooleanField(
        _l("Show my email and contact to my partners in the introduction"),
        description=_l(
            "Partners always see your name, organisation, city, sector, interests and what "
            "you can help with. Your email and contact go to them only if you tick this; "
            "otherwise you exchange contacts on the meeting page when you both agree."
        ),
    )
    paused_until = DateField(
        _l("Pause until"),
        validators=[Optional()],
        description=_l("No matches until this date. Leave empty to take part now."),
    )

    def validate_paused_until(self, field):
        if field.data and field.data < utcnow().date():
            raise ValidationError(_l("Choose a date in the future."))
