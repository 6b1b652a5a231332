"""CSV files people open in Excel or Google Sheets: one way to write them.

UTF-8 with a byte-order mark, so Excel reads Cyrillic; every text cell that a spreadsheet
would run as a formula (`= + - @`, or a tab or carriage return before one) is prefixed
with an apostrophe, so a member named `=HYPERLINK(…)` stays a name (OWASP's advice).
"""

import csv
import io
from collections.abc import Iterable, Iterator

BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable]) -> str:
    return "".join(csv_lines(rows))


def csv_lines(rows: Iterable[Iterable]) -> Iterator[str]:
    """The file a line at a time, for a download sent as it is written."""
    out = io.StringIO()
    writer = csv.writer(out)
    yield BYTE_ORDER_MARK
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        yield out.getvalue()
        out.seek(0)
        out.truncate()
