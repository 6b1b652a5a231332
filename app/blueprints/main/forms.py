from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired

from app.blueprints.forms import Form

AGREE_REQUIRED = _l("Please agree to the privacy policy and the terms to go on.")


class ConsentForm(Form):
    agree = BooleanField(
        _l("I have read and agree to the privacy policy and the terms"),
        validators=[DataRequired(message=AGREE_REQUIRED)],
    )
