from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField, SelectChoice, SelectField

from app.blueprints.forms import Form
from app.labels import CARDS_FOR_LABELS
from app.services.cards import LAYOUTS


class CardsForm(Form):
    """Which cards and how: read from the download's link (GET) and from the request to
    print in the background (POST, where the app's CSRF protection already checks it)."""

    class Meta:
        csrf = False

    who = RadioField(
        _l("Who"),
        choices=[SelectChoice(who, label) for who, label in CARDS_FOR_LABELS.items()],
        default="confirmed",
    )
    layout = SelectField(
        _l("Layout"), choices=[SelectChoice(name, name) for name in LAYOUTS], default="a4-8"
    )
    crop = BooleanField(_l("Crop marks"))
