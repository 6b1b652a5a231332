from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from app.blueprints.events.forms import ZONES
from app.blueprints.forms import EMAIL_RULES, Form, PictureField
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


def _link(label):
    return URLField(
        label,
        validators=[
            Optional(),
            URL(message=_l("A full link, like https://t.me/our_channel")),
            Length(max=300),
        ],
    )


class CommunityForm(Form):
    """The community's own face (app/services/community.py)."""

    name_uk = StringField(_l("Name in Ukrainian"), validators=[DataRequired(), Length(max=80)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=80)])
    description_uk = TextAreaField(
        _l("Short description in Ukrainian"),
        validators=[Length(max=300)],
        description=_l("One or two sentences: in the footer, emails and link previews."),
    )
    description_en = TextAreaField(_l("Short description in English"), validators=[Length(max=300)])
    logo = PictureField(_l("Logo"))
    remove_logo = BooleanField(_l("Remove the logo"))
    accent = StringField(
        _l("Accent colour"),
        validators=[
            DataRequired(),
            Regexp(r"^#[0-9a-fA-F]{6}$", message=_l("A colour like #1f5fbf.")),
        ],
        description=_l("Buttons and links. It must read well with white text: at least 4.5:1."),
    )
    contact_email = EmailField(
        _l("Contact email"),
        validators=[Optional(), Email(message=EMAIL_RULES[1].message), Length(max=254)],
    )
    website_url = _link(_l("Website"))
    telegram_url = _link(_l("Telegram channel"))
    facebook_url = _link(_l("Facebook"))
    instagram_url = _link(_l("Instagram"))
    timezone = SelectField(
        _l("Time zone"),
        choices=[SelectChoice(zone, zone.replace("_", " ")) for zone in ZONES],
        description=_l("New events start in it; community-wide dates are read in it."),
    )
    welcome_md = TextAreaField(
        _l("Welcome mail"),
        validators=[Length(max=5000)],
        description=_l(
            "What a newcomer reads on their first day, after a greeting by name. Markdown. "
            "Empty: a short welcome of Spilno's own."
        ),
    )
    welcome_signature = StringField(
        _l("Signed by"),
        validators=[Length(max=120)],
        description=_l("The community manager's name, under the welcome mail."),
    )
    offer_english = BooleanField(
        _l("Offer English too"), description=_l("Ukrainian is always offered.")
    )


class PoliciesForm(Form):
    privacy_md = TextAreaField(
        _l("Privacy policy"),
        validators=[DataRequired(), Length(max=50000)],
        description=_l("Markdown: headings with #, lists, [links](https://…)."),
    )
    terms_md = TextAreaField(_l("Terms"), validators=[DataRequired(), Length(max=50000)])


def _weight(label):
    return DecimalField(label, places=1, validators=[InputRequired(), NumberRange(min=0, max=100)])


class LevelRulesForm(Form):
    """How engagement levels are computed (app/services/levels.py): points per act, and the
    scores and quiet time that make a level."""

    attended = _weight(_l("An event attended"))
    met = _weight(_l("A meeting that happened"))
    hosted = _weight(_l("An event hosted or proposed"))
    answered = _weight(_l("A survey answered"))
    helped = _weight(_l("Help given: their offer met a partner's ask"))
    core = DecimalField(
        _l("Core from a score of"), places=1, validators=[InputRequired(), NumberRange(min=0.1)]
    )
    active = DecimalField(
        _l("Active from a score of"), places=1, validators=[InputRequired(), NumberRange(min=0.1)]
    )
    quiet_days = IntegerField(
        _l("Drifting after this many quiet days"),
        validators=[InputRequired(), NumberRange(min=14, max=181)],
    )
