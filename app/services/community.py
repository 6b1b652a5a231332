"""The community's own face: its name, logo, colour, links, time zone, languages and policies.

Stored as rows of `settings`, read all at once; what an admin never set has a default that
keeps a new installation looking as Spilno always has.
"""

from dataclasses import dataclass, fields, replace
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from app.colours import WHITE, contrast
from app.extensions import db
from app.models import Consent, Setting
from app.models.types import KYIV, utcnow
from app.services import errors, pictures
from app.services.text import markdown_to_html

PAGE_BACKGROUND = "#f6f7f9"  # --bs-body-bg in spilno.css
ACCENT_CONTRAST = 4.5  # WCAG AA: buttons carry white text, links sit on the page background
LANGUAGES = ("uk", "en")
DEFAULT_ACCENT = "#1f5fbf"  # Spilno's blue, as in spilno.css
LINK_KINDS = ("website", "telegram", "facebook", "instagram")


@dataclass(frozen=True)
class Community:
    name_uk: str = "Спільно"
    name_en: str = "Spilno"
    description_uk: str = ""
    description_en: str = ""
    logo: str = ""  # a stored picture's name (app/services/pictures.py)
    accent: str = DEFAULT_ACCENT
    contact_email: str = ""
    website_url: str = ""
    telegram_url: str = ""
    facebook_url: str = ""
    instagram_url: str = ""
    timezone: str = KYIV
    languages: tuple[str, ...] = LANGUAGES
    # The welcome mail a newcomer gets on day 0 (Markdown), signed by the community manager.
    welcome_md: str = ""
    welcome_signature: str = ""
    privacy_md: str = ""
    terms_md: str = ""
    # 0 until the admin first publishes the policies; each publication raises it by one.
    policy_version: int = 0
    policy_published_at: str = ""

    def name(self, locale) -> str:
        return self.name_en if str(locale) == "en" and self.name_en else self.name_uk

    def description(self, locale: str) -> str:
        own = self.description_en if locale == "en" else self.description_uk
        return own or self.description_uk or self.description_en

    @property
    def links(self) -> list[tuple[str, str]]:
        """(kind, address) of the links the admin gave, in a fixed order."""
        kinds = ("website", "telegram", "facebook", "instagram")
        return [
            (kind, getattr(self, f"{kind}_url")) for kind in kinds if getattr(self, f"{kind}_url")
        ]

    @property
    def has_policies(self) -> bool:
        return self.policy_version > 0

    def policy_html(self, kind: str):
        return markdown_to_html(self.privacy_md if kind == "privacy" else self.terms_md)

    @property
    def has_own_accent(self) -> bool:
        return self.accent != DEFAULT_ACCENT

    @property
    def accent_shades(self) -> dict[str, str]:
        """The accent and the darker shades Bootstrap's hover and pressed states use."""
        return {
            "accent": self.accent,
            "accent-rgb": ", ".join(str(int(self.accent[i : i + 2], 16)) for i in (1, 3, 5)),
            "accent-dark": _shade(self.accent, 0.78),
            "accent-darker": _shade(self.accent, 0.62),
        }


def _shade(colour: str, factor: float) -> str:
    return "#" + "".join(f"{int(int(colour[i : i + 2], 16) * factor):02x}" for i in (1, 3, 5))


_TYPES = {field.name: field.type for field in fields(Community)}


def _parse(key: str, value: str):
    kind = _TYPES[key]
    if kind is int:
        return int(value or 0)
    if kind is not str:
        return tuple(code for code in value.split(",") if code in LANGUAGES) or LANGUAGES
    return value


def _text(value) -> str:
    return ",".join(value) if isinstance(value, tuple) else str(value)


def load() -> Community:
    """The community as the admin set it, defaults for the rest: one query."""
    rows = db.session.execute(sa.select(Setting.key, Setting.value).where(Setting.key.in_(_TYPES)))
    return Community(**{key: _parse(key, value) for key, value in rows})


def store_settings(values: dict) -> None:
    """Write rows of `settings` by key, new or replaced: the community's face here, and any
    other duty's own keys (levels.*, telegram.offset)."""
    existing = {
        s.key: s for s in db.session.scalars(sa.select(Setting).where(Setting.key.in_(values)))
    }
    for key, value in values.items():
        setting = existing.get(key) or Setting(key=key)
        setting.value = _text(value)
        db.session.add(setting)


def check_accent(colour: str) -> None:
    """White text on the accent, and the accent on the page, must both read at 4.5:1."""
    worst = min(contrast(colour, WHITE), contrast(colour, PAGE_BACKGROUND))
    if worst < ACCENT_CONTRAST:
        raise errors.AccentTooLight(ratio=worst)


# What the settings form may change; the logo and the policies have their own steps.
EDITABLE = (
    "name_uk",
    "name_en",
    "description_uk",
    "description_en",
    "accent",
    "contact_email",
    "website_url",
    "telegram_url",
    "facebook_url",
    "instagram_url",
    "timezone",
    "languages",
    "welcome_md",
    "welcome_signature",
)


def save(
    changes: dict, *, logo: tuple[bytes, str] | None = None, remove_logo: bool = False
) -> Community:
    """Save the settings form. `logo` is an uploaded picture (content, file name): checked
    and stored before anything is saved, so a bad file leaves the settings as they were."""
    current = load()
    updated = replace(current, **{key: changes[key] for key in EDITABLE if key in changes})
    accent = updated.accent.lower()
    check_accent(accent)
    values = {key: getattr(updated, key) for key in EDITABLE}
    values["accent"] = accent
    values["languages"] = tuple(code for code in LANGUAGES if code in ("uk", *updated.languages))
    if logo is not None:
        folder = current_app.config["UPLOADS_DIR"]
        values["logo"] = pictures.save_picture(*logo, "logo", folder)
    elif remove_logo:
        values["logo"] = ""
    store_settings(values)
    return load()


def publish_policies(privacy_md: str, terms_md: str, *, now: datetime | None = None) -> int:
    """A new version of the privacy policy and terms: every member is asked to agree again."""
    if not privacy_md.strip() or not terms_md.strip():
        raise errors.PolicyEmpty()
    version = load().policy_version + 1
    now = now or utcnow()
    store_settings(
        {
            "privacy_md": privacy_md.strip(),
            "terms_md": terms_md.strip(),
            "policy_version": version,
            "policy_published_at": now.isoformat(),
        }
    )
    return version


def has_consented(user_id: int, version: int) -> bool:
    if version == 0:
        return True
    query = sa.select(Consent.id).where(Consent.user_id == user_id, Consent.version == version)
    return db.session.scalar(query) is not None


def record_consent(user_id: int, version: int) -> None:
    if version and not has_consented(user_id, version):
        db.session.add(Consent(user_id=user_id, version=version, accepted_at=utcnow()))
