"""Every string a person can see exists in both catalogs, and in Ukrainian is translated."""

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None}


def catalog(language):
    with open(ROOT / f"app/translations/{language}/LC_MESSAGES/messages.po", "rb") as po:
        return read_po(po, locale=language)


def strings_in_code():
    with open(ROOT / "babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


@pytest.mark.parametrize("language", ["uk", "en"])
def test_every_string_in_the_code_is_in_the_catalog(language):
    in_catalog = {m.id for m in catalog(language) if m.id}
    missing = strings_in_code() - in_catalog
    assert not missing, f"run `make translations` and translate: {sorted(map(str, missing))}"


def test_every_ukrainian_entry_is_translated_with_every_plural_form():
    untranslated = []
    for message in catalog("uk"):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings) or (message.pluralizable and len(strings) != 3):
            untranslated.append(message.id)
    assert not untranslated
