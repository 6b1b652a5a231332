from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField
from wtforms.validators import Optional

from app.blueprints.forms import Form
from app.models.types import KYIV_ZONE, utcnow
from app.services import analytics

PERIOD_DAYS = {30: _l("Last 30 days"), 90: _l("Last 90 days"), 365: _l("Last 365 days")}
DEFAULT_DAYS = 90
LONGEST = timedelta(days=366 * 5)


class PeriodForm(Form):
    """The dashboard's period: the last 30, 90 or 365 days, or two dates. Read from the query
    string, so a period can be bookmarked and shared."""

    class Meta:
        csrf = False  # a GET form: it changes nothing

    days = SelectField(
        _l("Period"),
        choices=[SelectChoice(days, label) for days, label in PERIOD_DAYS.items()],
        coerce=int,
        default=DEFAULT_DAYS,
        validate_choice=False,
    )
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])

    def validate_days(self, field):
        if field.data not in PERIOD_DAYS:
            field.data = DEFAULT_DAYS  # an unknown number in a link: show the default

    def validate(self, extra_validators=None) -> bool:
        # The two dates are checked together here: an empty one stops its own validators.
        if not super().validate(extra_validators):
            return False
        problem = self._period_problem(self.start.data, self.end.data)
        if problem:
            self.end.errors.append(problem)
        return problem is None

    @staticmethod
    def _period_problem(first: date | None, last: date | None):
        if (first is None) != (last is None):
            return _l("Choose both dates, or neither.")
        if first is None:
            return None
        if last < first:
            return _l("The end date comes before the start date.")
        if last - first > LONGEST:
            return _l("Choose a period of five years at most.")
        if first > date.today():
            return _l("The period starts in the future.")
        return None

    @property
    def has_dates(self) -> bool:
        return self.start.data is not None and self.end.data is not None


def chosen_period(form: PeriodForm) -> tuple[analytics.Period, str | None]:
    """The period the form asks for, and the name of a preset (None for two dates); the
    default period while the dates are wrong (the form then says why)."""
    if form.validate() and form.has_dates:
        return analytics.period_between(form.start.data, form.end.data, KYIV_ZONE), None
    days = form.days.data if form.days.data in PERIOD_DAYS else DEFAULT_DAYS
    return analytics.Period.last(days, utcnow()), str(PERIOD_DAYS[days])
