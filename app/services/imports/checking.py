"""What each row of a member list would become, before anything is saved.

The columns are matched to profile fields (guessed from the header, in Ukrainian or English,
as Google Forms and spreadsheets name them); each row is read into a member's details with
its problems: no email, an email that is not one, the same email twice in the file, a
language nobody knows. A row whose email has an account already fills only that account's
empty fields; one already invited is left alone: importing a file twice changes nothing.
"""

import re
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from app.extensions import db
from app.models import Invitation, Sector, User
from app.services.profiles import MAX_TAGS, parse_tags

FIELDS = (
    "name",
    "email",
    "sector",
    "organisation",
    "city",
    "languages",
    "interests",
    "offers",
    "asks",
    "contact",
    "joined",
)
# How Google Forms, spreadsheets and people name each column (compared lower-cased).
HEADER_WORDS = {
    "email": ("email", "e-mail", "пошта", "електронна пошта", "адреса електронної пошти", "мейл"),
    "name": ("name", "full name", "ім'я", "імʼя", "ім’я", "піб", "ім'я та прізвище", "прізвище"),
    "sector": ("sector", "сектор", "сфера", "галузь"),
    "organisation": ("organisation", "organization", "організація", "компанія", "company"),
    "city": ("city", "місто"),
    "languages": ("languages", "language", "мови", "мова"),
    "interests": ("interests", "інтереси"),
    "offers": ("offers", "can help with", "i can help with", "можу допомогти", "пропоную"),
    "asks": ("asks", "looking for", "i am looking for", "шукаю", "потребую"),
    "contact": ("telegram", "телеграм", "contact", "контакт", "нік у телеграмі"),
    "joined": ("joined", "timestamp", "позначка часу", "дата", "date", "дата приєднання"),
}
LANGUAGE_NAMES = {
    "uk": ("uk", "ua", "українська", "ukrainian", "укр"),
    "en": ("en", "english", "англійська", "англ"),
    "pl": ("pl", "polish", "польська"),
    "de": ("de", "german", "німецька"),
    "fr": ("fr", "french", "французька"),
    "es": ("es", "spanish", "іспанська"),
    "it": ("it", "italian", "італійська"),
    "crh": ("crh", "crimean tatar", "кримськотатарська"),
    "ru": ("ru", "russian", "російська"),
}
LANGUAGE_CODES = {word: code for code, words in LANGUAGE_NAMES.items() for word in words}
DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{2})-(\d{2})"),  # 2025-03-14, and ISO times
    re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})"),  # 14.03.2025 (Google Forms, uk)
    re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})"),  # 3/14/2025 (Google Forms, en-US)
)


def _plain(text: str) -> str:
    return " ".join(text.lower().replace("*", "").replace(":", "").split())


def guess_mapping(header: list[str]) -> dict[str, str]:
    """Column index (as text, a JSON key) → field, for the headers that say what they hold."""
    mapping, taken = {}, set()
    for index, title in enumerate(header):
        plain = _plain(title)
        for field_name, words in HEADER_WORDS.items():
            # The whole header, or a longer word within it ("Можу допомогти з…").
            named = plain in words or any(len(w) >= 5 and w in plain for w in words)
            if field_name not in taken and named:
                mapping[str(index)] = field_name
                taken.add(field_name)
                break
    return mapping


@dataclass
class Row:
    number: int  # as a spreadsheet counts: the header is row 1
    email: str = ""
    name: str = ""
    sector: str = ""
    organisation: str = ""
    city: str = ""
    languages: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    offers: list[str] = field(default_factory=list)
    asks: list[str] = field(default_factory=list)
    contact: str = ""
    joined: str = ""  # ISO date, or ""
    action: str = "invite"  # invite | update | unchanged | skip
    problems: list[str] = field(default_factory=list)


def _date(text: str) -> str:
    for number, pattern in enumerate(DATE_PATTERNS):
        found = pattern.match(text)
        if not found:
            continue
        a, b, c = (int(part) for part in found.groups())
        year, month, day = (a, b, c) if number == 0 else (c, b, a) if number == 1 else (c, a, b)
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return ""
    return ""


def _languages(text: str, row: Row) -> list[str]:
    codes = []
    for part in re.split(r"[,;/]", text):
        word = _plain(part)
        if not word:
            continue
        code = LANGUAGE_CODES.get(word)
        if code is None:
            row.problems.append(_("Unknown language: %(name)s", name=part.strip()))
        elif code not in codes:
            codes.append(code)
    return codes


def _read(number: int, cells: list[str], mapping: dict[str, str]) -> Row:
    row = Row(number=number)
    for index, field_name in mapping.items():
        value = cells[int(index)] if int(index) < len(cells) else ""
        if field_name == "languages":
            row.languages = _languages(value, row)
        elif field_name in ("interests", "offers", "asks"):
            setattr(row, field_name, parse_tags(value)[:MAX_TAGS])
        elif field_name == "joined":
            row.joined = _date(value)
        elif field_name == "email":
            row.email = value.strip().lower()
        else:
            setattr(row, field_name, " ".join(value.split()))
    return row


def _check_email(row: Row, seen: set[str]) -> None:
    if not row.email:
        row.action = "skip"
        row.problems.append(_("No email."))
        return
    try:
        validate_email(row.email, check_deliverability=False)
    except EmailNotValidError:
        row.action = "skip"
        row.problems.append(_("Not an email address: %(email)s", email=row.email))
        return
    if row.email in seen:
        row.action = "skip"
        row.problems.append(_("The same email is in an earlier row."))
    seen.add(row.email)


@dataclass
class Preview:
    rows: list[Row]
    unknown_sectors: list[str]

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def with_problems(self) -> list[Row]:
        return [row for row in self.rows if row.problems]


def sector_ids_by_name() -> dict[str, int]:
    """Every sector by its names in both languages, lower-cased."""
    found = {}
    for sector in db.session.scalars(sa.select(Sector)):
        found[sector.name_uk.lower()] = sector.id
        found[sector.name_en.lower()] = sector.id
    return found


def check_rows(
    header: list[str], rows: list[list[str]], mapping: dict[str, str], update_existing: bool
) -> Preview:
    """Each row read and judged against the file and the database, nothing saved."""
    read = [_read(number, cells, mapping) for number, cells in enumerate(rows, start=2)]
    seen: set[str] = set()
    for row in read:
        _check_email(row, seen)
    emails = [row.email for row in read if row.action != "skip"]
    accounts = {}
    invited = set()
    for start in range(0, len(emails), 1000):  # IN lists of a sensible size
        chunk = emails[start : start + 1000]
        accounts.update(
            db.session.execute(sa.select(User.email, User.id).where(User.email.in_(chunk))).all()
        )
        invited.update(
            db.session.scalars(sa.select(Invitation.email).where(Invitation.email.in_(chunk)))
        )
    for row in read:
        if row.action == "skip":
            continue
        if row.email in accounts:
            row.action = "update" if update_existing else "unchanged"
            row.problems.append(
                _("Has an account: only its empty fields are filled in.")
                if update_existing
                else _("Has an account: left as it is.")
            )
        elif row.email in invited:
            row.action = "unchanged"
            row.problems.append(_("Invited already: left as it is."))
        elif not row.name:
            row.name = row.email.split("@")[0]
            row.problems.append(_("No name: the part of the email before @ is used."))
    known = sector_ids_by_name()
    unknown = sorted({row.sector for row in read if row.sector and row.sector.lower() not in known})
    return Preview(rows=read, unknown_sectors=unknown)
