from wtforms import SelectChoice, SelectMultipleField

from app.blueprints.forms import Form
from app.labels import MAIL_CATEGORY_LABELS


class PreferencesForm(Form):
    """The kinds of mail a member keeps: a ticked box each (an unticked box sends nothing)."""

    category = SelectMultipleField(
        choices=[SelectChoice(kind, name) for kind, (name, _about) in MAIL_CATEGORY_LABELS.items()]
    )
