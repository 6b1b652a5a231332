"""Names in Ukrainian alphabetical order on any database.

Neither SQLite nor a default PostgreSQL sorts Ukrainian right: by code point, І, Ї, Є and Ґ
land outside the alphabet (І before А). A name's key maps each Ukrainian letter, in
alphabet order, to a private-use character, so plain ORDER BY sorts by the alphabet and
LIKE on the key (with the query keyed the same way) still finds substrings, ignoring case.
"""

UKRAINIAN_ALPHABET = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
_PRIVATE_USE = 0xE000
_KEYS = {letter: chr(_PRIVATE_USE + index) for index, letter in enumerate(UKRAINIAN_ALPHABET)}
_IGNORED = {"'": None, "ʼ": None, "’": None}  # the apostrophe does not count in Ukrainian order
_TABLE = str.maketrans({**_KEYS, **_IGNORED})


def name_key(text: str) -> str:
    return " ".join(text.split()).casefold().translate(_TABLE)
