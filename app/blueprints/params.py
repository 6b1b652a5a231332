"""Numbers read from links and forms: ASCII digits within the database's range, or a default.

`int()` takes "٣" and `str.isdigit()` takes "²"; a page of 10**20 overflows the OFFSET.
Each of these answered 500 once; here they are simply not numbers.
"""

DATABASE_INT_MAX = 2**31 - 1  # PostgreSQL's INTEGER
LAST_PAGE = 100_000


def whole_number(text, default=None, *, low: int = 0, high: int = DATABASE_INT_MAX):
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        return default
    value = int(text)
    return value if low <= value <= high else default


def page_number(args) -> int:
    return whole_number(args.get("page"), 1, low=1, high=LAST_PAGE)


def id_list(values) -> list[int]:
    return [n for n in (whole_number(v, low=1) for v in values) if n is not None]
