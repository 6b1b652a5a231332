"""The base of every form: text is cleaned where it enters, dates stay within reason.

WTForms' documented `Meta.bind_field` hook adds to each field what every form needs, so a
new form gets it without remembering to: no control or line-separator characters in
one-line text (a title with a vertical tab once broke every mail about it; PostgreSQL
refuses NUL), and dates between FIRST_YEAR and LAST_YEAR (0001-01-01 or 9999-12-31 once
overflowed the date arithmetic behind them).
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from wtforms import (
    DateField,
    DateTimeLocalField,
    FileField,
    HiddenField,
    PasswordField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, ValidationError

from app.services.text import clean_text, one_line

FIRST_YEAR, LAST_YEAR = 2000, 2100

# Every email field: WTForms' own message reads "Невірна електронна адреса"; ours says what
# to type.
EMAIL_RULES = [
    DataRequired(),
    Email(message=_l("Enter an email address like name@example.org.")),
    Length(max=254),
]


def _one_line(value):
    return one_line(value) if isinstance(value, str) else value


def _lines(value):
    return clean_text(value) if isinstance(value, str) else value


def _within_reason(form, field):
    value = field.data
    if isinstance(value, (date, datetime)) and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _l("Choose a date between %(first)s and %(last)s.", first=FIRST_YEAR, last=LAST_YEAR)
        )


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            kind = unbound_field.field_class
            kwargs = unbound_field.kwargs
            if issubclass(kind, TextAreaField):
                options["filters"] = [_lines, *kwargs.get("filters", ())]
            elif issubclass(kind, StringField) and not issubclass(kind, PasswordField):
                options["filters"] = [_one_line, *kwargs.get("filters", ())]
            if issubclass(kind, (DateField, DateTimeLocalField)):
                options["validators"] = [*kwargs.get("validators", ()), _within_reason]
            return unbound_field.bind(form=form, **options)


class EditVersionField(HiddenField):
    """The `edit_version` an edit form was shown at (app/services/versions.py); `shown` is
    None when the form did not say, as from an older page."""

    @property
    def shown(self) -> int | None:
        text = str(self.data or "")
        return int(text) if text.isdigit() and len(text) < 10 else None


class UploadField(FileField):
    """A file to upload; `upload` is what came: (content, file name), or None."""

    def __init__(self, label=None, accept: str = "", **kwargs):
        if accept:
            kwargs.setdefault("render_kw", {"accept": accept})
        super().__init__(label, **kwargs)

    @property
    def upload(self) -> tuple[bytes, str] | None:
        storage = self.data
        if not isinstance(storage, FileStorage) or not storage.filename:
            return None
        return storage.read(), storage.filename


class PictureField(UploadField):
    """A picture to upload; app/services/pictures.py checks and re-encodes what comes."""

    def __init__(self, label=None, **kwargs):
        kwargs.setdefault("description", _l("JPEG, PNG or WebP, up to 10 MB."))
        super().__init__(label, accept="image/jpeg,image/png,image/webp", **kwargs)
