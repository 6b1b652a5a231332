from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import (
    URL,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from app.blueprints.forms import EMAIL_RULES, EditVersionField, Form, PictureField
from app.blueprints.surveys.forms import QuestionForm
from app.labels import EVENT_FORMAT_LABELS, REGISTRATION_QUESTION_KIND_LABELS
from app.models import EventFormat
from app.models.types import KYIV, utcnow

# The zones our community meets in come first; the rest of the IANA list follows.
COMMON_ZONES = [KYIV, "Europe/Warsaw", "Europe/Berlin", "Europe/London", "UTC"]
ZONES = COMMON_ZONES + sorted(available_timezones() - set(COMMON_ZONES) - {"localtime"})
LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def in_zone(local: datetime | None, zone: str) -> datetime | None:
    """A wall-clock time typed for the event's zone, as an aware datetime."""
    if local is None:
        return None
    return local.replace(tzinfo=ZoneInfo(zone))


class EventForm(Form):
    once = HiddenField()  # a new event's form, sent twice, creates it once (blueprints/once.py)
    edit_version = EditVersionField()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=20000)],
        description=_l("Markdown: **bold**, *italic*, lists, [links](https://…)."),
    )
    title_en = StringField(_l("Title in English"), validators=[Length(max=200)])
    description_en = TextAreaField(_l("Description in English"), validators=[Length(max=20000)])
    cover = PictureField(
        _l("Cover picture"),
        description=_l(
            "JPEG, PNG or WebP, up to 10 MB. Shown wide (1200 × 630): on the page, in lists "
            "and when a link is shared."
        ),
    )
    remove_cover = BooleanField(_l("Remove the cover"))
    format = RadioField(
        _l("Format"),
        choices=[SelectChoice(value.value, label) for value, label in EVENT_FORMAT_LABELS.items()],
        default=EventFormat.OFFLINE.value,
    )
    # InputRequired, not DataRequired: a mistyped date then says "not a valid date".
    starts_at = DateTimeLocalField(_l("Starts"), format=LOCAL_FORMAT, validators=[InputRequired()])
    ends_at = DateTimeLocalField(_l("Ends"), format=LOCAL_FORMAT, validators=[InputRequired()])
    timezone = SelectField(
        _l("Time zone"),
        choices=[SelectChoice(zone, zone.replace("_", " ")) for zone in ZONES],
        default=KYIV,
    )
    venue = StringField(_l("Venue"), validators=[Length(max=200)])
    address = StringField(_l("Address"), validators=[Length(max=300)])
    city = StringField(_l("City"), validators=[Length(max=80)])
    online_url = URLField(
        _l("Online link"),
        validators=[
            Optional(),
            URL(message=_l("A full link, like https://meet.jit.si/…")),
            Length(max=500),
        ],
        description=_l("Shown only to confirmed attendees."),
    )
    capacity = IntegerField(
        _l("Seats"),
        validators=[Optional(), NumberRange(min=1, max=100000)],
        description=_l("Leave empty for no limit."),
    )
    requires_approval = BooleanField(_l("Hosts approve each registration"))
    registration_closes_at = DateTimeLocalField(
        _l("Registration closes"),
        format=LOCAL_FORMAT,
        validators=[Optional()],
        description=_l("Leave empty to take registrations until the start."),
    )
    cohost_ids = SelectMultipleField(_l("Hosts"), coerce=int)
    # A new event may repeat (app/services/series.py); an event of a series is edited alone
    # or with the later ones.
    repeat = SelectField(
        _l("Repeat"),
        choices=[
            SelectChoice("", _l("Does not repeat")),
            SelectChoice("weekly", _l("Every week or every few weeks, on this weekday")),
            SelectChoice(
                "monthly", _l("Every month, on this weekday of the month (the 2nd Thursday)")
            ),
        ],
        default="",
    )
    repeat_every = IntegerField(
        _l("Every how many weeks or months"),
        default=1,
        validators=[Optional(), NumberRange(min=1, max=12)],
        description=_l("2 with weekly: every second week."),
    )
    repeat_until = DateField(
        _l("Last day"), validators=[Optional()], description=_l("Up to 52 events.")
    )
    scope = RadioField(
        _l("Save"),
        choices=[
            SelectChoice("this", _l("This event only")),
            SelectChoice("following", _l("This and the following events of the series")),
        ],
        default="this",
    )

    def __init__(self, *args, is_new: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_new = is_new

    def zone_time(self, field) -> datetime | None:
        return in_zone(field.data, self.timezone.data)

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        ok = True
        starts, ends = self.zone_time(self.starts_at), self.zone_time(self.ends_at)
        if ends <= starts:
            self.ends_at.errors.append(_l("The end must come after the start."))
            ok = False
        if self.is_new and starts <= utcnow():
            self.starts_at.errors.append(_l("A new event cannot start in the past."))
            ok = False
        closes = self.zone_time(self.registration_closes_at)
        if closes is not None and closes > ends:
            self.registration_closes_at.errors.append(
                _l("Registration must close before the event ends.")
            )
            ok = False
        if self.repeat.data and not self.repeat_until.data:
            self.repeat_until.errors.append(_l("Say until when it repeats."))
            ok = False
        fmt = self.format.data
        if fmt in (EventFormat.ONLINE, EventFormat.HYBRID) and not self.online_url.data:
            self.online_url.errors.append(_l("An online event needs its link."))
            ok = False
        if fmt in (EventFormat.OFFLINE, EventFormat.HYBRID) and not (self.venue.data or "").strip():
            self.venue.errors.append(_l("An in-person event needs a venue."))
            ok = False
        return ok


class RejectForm(Form):
    reason = TextAreaField(_l("Reason (sent to the member)"), validators=[Length(max=1000)])


class WalkInForm(Form):
    """Someone at the door who did not register: found by email, or added with their name."""

    email = EmailField(_l("Email"), validators=EMAIL_RULES)
    name = StringField(
        _l("Name"),
        validators=[Length(max=120)],
        description=_l("Needed only for someone new to Spilno: they get a link to set a password."),
    )


class RegistrationQuestionForm(QuestionForm):
    """A question on an event's registration form: the survey builder's, with its own kinds."""

    kind = SelectField(
        _l("Kind"),
        choices=[SelectChoice(k.value, v) for k, v in REGISTRATION_QUESTION_KIND_LABELS.items()],
    )
    text = StringField(_l("Question"), validators=[DataRequired(), Length(max=300)])


class DeclineForm(Form):
    reason = TextAreaField(
        _l("Why not (sent to the proposer)"), validators=[DataRequired(), Length(max=1000)]
    )
