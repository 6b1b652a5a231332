from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from app.blueprints.forms import Form
from app.blueprints.params import DATABASE_INT_MAX
from app.labels import ROLE_LABELS


class RoleForm(Form):
    role = SelectField(
        _l("Role"), choices=[SelectChoice(role, label) for role, label in ROLE_LABELS.items()]
    )


class SectorForm(Form):
    name_uk = StringField(_l("Name in Ukrainian"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=80)])
    colour = StringField(
        _l("Colour"),
        default="#2f6fde",
        validators=[
            DataRequired(),
            Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("A colour like #2f6fde.")),
        ],
    )


class SectorRemovalForm(Form):
    """Where a removed sector's members go: another sector's id, or none for an unused one."""

    merge_into = IntegerField(validators=[Optional(), NumberRange(1, DATABASE_INT_MAX)])
