"""Member lists made as Google Forms, Sheets and Excel make them, for the import tests."""

import csv
import io

from openpyxl import Workbook

GOOGLE_FORMS_HEADER = [
    "Позначка часу",
    "Ім'я та прізвище",
    "Електронна пошта",
    "Сектор",
    "Організація",
    "Місто",
    "Мови",
    "Інтереси",
    "Можу допомогти з",
    "Шукаю",
    "Нік у Телеграмі",
]
# What each column of GOOGLE_FORMS_HEADER holds, as the import page's form sends it.
GOOGLE_FORMS_FIELDS = [
    "joined", "name", "email", "sector", "organisation", "city",
    "languages", "interests", "offers", "asks", "contact",
]  # fmt: skip
SECTORS = ["Освіта", "IT", "Культура", "Громадський сектор", "Медицина"]


def google_forms_rows(count: int, start: int = 0) -> list[list[str]]:
    """`count` good rows: different people, sectors, languages and cities."""
    rows = []
    for n in range(start, start + count):
        rows.append(
            [
                f"{(n % 28) + 1}.03.2025 12:{n % 60:02d}:00",
                f"Людина Номер{n}",
                f"person{n}@example.org",
                SECTORS[n % len(SECTORS)],
                f"Організація {n % 17}",
                ["Київ", "Львів", "Харків"][n % 3],
                "Українська, English" if n % 4 else "English",
                "освіта, ШІ" if n % 2 else "кіно",
                "менторство",
                "партнери",
                f"@person{n}",
            ]
        )
    return rows


def csv_bytes(header, rows, encoding="utf-8-sig", delimiter=",") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def forms_mapping() -> dict[str, str]:
    """The import page's column choices for a Google Forms export."""
    return {f"column-{n}": field for n, field in enumerate(GOOGLE_FORMS_FIELDS)}
