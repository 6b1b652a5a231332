"""A member list as a table of text: CSV (UTF-8 with or without BOM, or Windows-1251, as
Excel in Ukraine saves it) or XLSX (Google Sheets, Excel). Formulas are kept as their text."""

import csv
import io
import zipfile

from flask import current_app

from app.services import errors

CELL_LIMIT = 1000  # characters kept of one cell


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Not UTF-8: a file saved by Excel with a Cyrillic system locale is Windows-1251.
        return data.decode("cp1251", errors="replace")


def _csv_rows(data: bytes) -> list[list[str]]:
    """Excel's quoting; the delimiter is the one the header uses most (Excel in Ukraine
    saves with semicolons). The csv module's Sniffer guesses quoting too, and wrongly."""
    text = _decode(data)
    header = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    return list(csv.reader(io.StringIO(text), csv.excel, delimiter=delimiter))


def _cell(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(data: bytes, limit: int) -> list[list[str]]:
    from openpyxl import load_workbook  # here: only an import of a spreadsheet needs it

    try:
        # read_only streams the sheet; without data_only a formula is read as its text.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as broken:
        raise errors.UnreadableFile() from broken
    try:
        rows = []
        for row in book.worksheets[0].iter_rows(values_only=True):
            rows.append([_cell(value) for value in row])
            if len(rows) > limit + 1:
                break
        return rows
    finally:
        book.close()


def read_table(data: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows), every cell trimmed text; refused when empty, unreadable or too long."""
    limit = current_app.config["IMPORT_MAX_ROWS"]
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        table = _xlsx_rows(data, limit)
    elif name.endswith((".csv", ".txt")):
        table = _csv_rows(data)
    else:
        raise errors.UnreadableFile()
    table = [[cell.strip()[:CELL_LIMIT] for cell in row] for row in table]
    table = [row for row in table if any(row)]
    if len(table) < 2:
        raise errors.EmptyFile()
    if len(table) - 1 > limit:
        raise errors.TooManyRows(limit=limit)
    header, rows = table[0], table[1:]
    width = len(header)
    return header, [(row + [""] * width)[:width] for row in rows]
