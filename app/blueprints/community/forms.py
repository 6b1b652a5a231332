from datetime import date

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.blueprints.forms import Form, UploadField
from app.blueprints.members.forms import MultiCheckboxField
from app.services.profiles import parse_tags
from app.services.segments import Criteria


class UploadForm(Form):
    file = UploadField(
        _l("Member list"),
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        description=_l(
            "A CSV or XLSX file with a header row: a Google Forms or Sheets export, or a "
            "spreadsheet saved from Excel. Nothing is saved before you see the preview."
        ),
    )


def _numbers(low=1, high=10000):
    return [Optional(), NumberRange(min=low, max=high)]


class SegmentForm(Form):
    """The segment builder: read from the query string, so a segment's page can be shared."""

    class Meta:
        csrf = False  # a GET form: it changes nothing

    sector_ids = SelectMultipleField(_l("Sectors"), coerce=int, validate_choice=False)
    cities = StringField(_l("Cities"), description=_l("Separated by commas."))
    languages = MultiCheckboxField(_l("Speaks"), choices=[])
    interests = StringField(_l("Interests (any of)"), description=_l("Separated by commas."))
    offers = StringField(_l("Can help with (any of)"))
    asks = StringField(_l("Is looking for (any of)"))
    joined_after = DateField(_l("Joined on or after"), validators=[Optional()])
    joined_before = DateField(_l("Joined on or before"), validators=[Optional()])
    attended_at_least = IntegerField(_l("Came to at least … events"), validators=_numbers())
    attended_since = DateField(_l("…since"), validators=[Optional()])
    no_shows_at_least = IntegerField(
        _l("Did not come, though confirmed, at least … times"), validators=_numbers()
    )
    checked_in_event_id = SelectField(_l("Came to the event"), coerce=int, validate_choice=False)
    in_coffee = BooleanField(_l("Takes part in random coffee"))
    not_seen_days = IntegerField(
        _l("Not seen at an event for … days"), validators=_numbers(1, 3650)
    )
    newcomers = BooleanField(_l("Newcomers (joined in the last 60 days)"))
    invited = BooleanField(
        _l("Invited from a list and not joined yet (instead of members)"),
        description=_l("Not members yet: the other conditions do not apply to them."),
    )

    def criteria(self) -> Criteria:
        def names(text):
            return parse_tags(text or "")

        def day(value):
            return value.isoformat() if value else ""

        return Criteria(
            sector_ids=self.sector_ids.data or [],
            cities=[c.strip() for c in (self.cities.data or "").split(",") if c.strip()],
            languages=self.languages.data or [],
            interests=names(self.interests.data),
            offers=names(self.offers.data),
            asks=names(self.asks.data),
            joined_after=day(self.joined_after.data),
            joined_before=day(self.joined_before.data),
            attended_at_least=self.attended_at_least.data or 0,
            attended_since=day(self.attended_since.data),
            no_shows_at_least=self.no_shows_at_least.data or 0,
            checked_in_event_id=self.checked_in_event_id.data or 0,
            in_coffee=bool(self.in_coffee.data),
            not_seen_days=self.not_seen_days.data or 0,
            newcomers=bool(self.newcomers.data),
            invited=bool(self.invited.data),
        )

    def fill(self, criteria: Criteria) -> None:
        """Show a saved segment's criteria in the builder."""
        self.sector_ids.data = criteria.sector_ids
        self.cities.data = ", ".join(criteria.cities)
        self.languages.data = criteria.languages
        self.interests.data = ", ".join(criteria.interests)
        self.offers.data = ", ".join(criteria.offers)
        self.asks.data = ", ".join(criteria.asks)
        for name in ("joined_after", "joined_before", "attended_since"):
            value = getattr(criteria, name)
            getattr(self, name).data = date.fromisoformat(value) if value else None
        self.attended_at_least.data = criteria.attended_at_least or None
        self.no_shows_at_least.data = criteria.no_shows_at_least or None
        self.checked_in_event_id.data = criteria.checked_in_event_id
        self.in_coffee.data = criteria.in_coffee
        self.not_seen_days.data = criteria.not_seen_days or None
        self.newcomers.data = criteria.newcomers
        self.invited.data = criteria.invited


class SaveSegmentForm(Form):
    name = StringField(_l("Name of the segment"), validators=[DataRequired(), Length(max=120)])


class MessageForm(Form):
    subject = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    body_md = TextAreaField(
        _l("Message"),
        validators=[DataRequired(), Length(max=20000)],
        description=_l(
            "Markdown: **bold**, lists, [links](https://…). Each copy greets its reader by name."
        ),
    )
    audience = RadioField(
        _l("Recipients"),
        choices=[
            SelectChoice("everyone", _l("Everyone in the community")),
            SelectChoice("segment", _l("A segment")),
            SelectChoice("event", _l("An event's people")),
        ],
        default="everyone",
    )
    segment_id = SelectField(_l("Segment"), coerce=int, validate_choice=False)
    event_id = SelectField(_l("Event"), coerce=int, validate_choice=False)
    event_group = SelectField(
        _l("Who of the event"),
        choices=[
            SelectChoice("confirmed", _l("Confirmed")),
            SelectChoice("waitlisted", _l("On the waitlist")),
            SelectChoice("checked_in", _l("Came (checked in)")),
            SelectChoice("no_shows", _l("Confirmed but did not come")),
        ],
    )
    scheduled_at = DateTimeLocalField(
        _l("Send at"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Empty: now. Kyiv time."),
    )
