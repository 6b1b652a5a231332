"""Bringing the existing community in: a member list uploaded, previewed, imported by the
worker, and its people invited to join."""

import io
import re

import pytest

from app.extensions import db
from app.models import Import, Invitation, Sector, User
from app.models.types import utcnow
from app.services.imports import running
from tests.member_lists import (
    GOOGLE_FORMS_HEADER,
    csv_bytes,
    forms_mapping,
    google_forms_rows,
    xlsx_bytes,
)


@pytest.fixture
def admin(make_user, auth):
    person = make_user("Олена Адмін", role="admin", email="admin@example.org")
    auth.login(person)
    return person


def upload(client, content: bytes, name="responses.csv"):
    return client.post("/community/import", data={"file": (io.BytesIO(content), name)})


def run_worker(app):
    with app.app_context():
        ran = running.run_waiting(utcnow())
        db.session.commit()
        return ran


def a_forms_export_with_bad_rows():
    rows = google_forms_rows(194)
    rows += [
        ["1.03.2025", "Без Пошти", "", "Освіта", "", "", "", "", "", "", ""],
        ["1.03.2025", "Кривa Пошта", "not-an-email", "Освіта", "", "", "", "", "", "", ""],
        ["1.03.2025", "Двійник", "PERSON1@example.org", "IT", "", "", "", "", "", "", ""],
        ["1.03.2025", "Мовник", "lang@example.org", "IT", "", "", "клінгонська", "", "", "", ""],
        [
            "1.03.2025",
            "Наявна",
            "member@example.org",
            "Медицина",
            "Лікарня",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        [
            "1.03.2025",
            '=HYPERLINK("http://x")',
            "formula@example.org",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
    ]
    return rows


def test_a_forms_export_is_previewed_imported_and_invited(
    app, client, admin, make_user, database, deliver
):
    member = make_user("Наявна Учасниця", email="member@example.org")
    made = upload(client, csv_bytes(GOOGLE_FORMS_HEADER, a_forms_export_with_bad_rows()))
    [job] = database.all(Import)
    assert made.location == f"/community/import/{job.id}"
    page = client.get(made.location).get_data(as_text=True)
    # Every column guessed from its header; the preview counts before anything is saved.
    assert re.search(r'id="will-invite">196<', page)  # 194 good, the unknown language, the formula
    assert re.search(r'id="will-update">1<', page) and re.search(r'id="will-skip">3<', page)
    assert "Немає пошти." in page and "Це не адреса пошти: not-an-email" in page
    assert "Така сама пошта вже є в попередньому рядку." in page
    assert "Невідома мова: клінгонська" in page
    assert "Має обліковий запис: доповнюються лише порожні поля." in page
    assert database.count(Invitation) == 0 and database.count(Sector) == 0

    sectors = {
        f"sector-name-{n}": name
        for n, name in enumerate(
            sorted({"Освіта", "IT", "Культура", "Громадський сектор", "Медицина"})
        )
    }
    mapping = forms_mapping()
    client.post(
        made.location,
        data={**mapping, **sectors, "sector-count": "5", "update_existing": "y", "action": "start"},
    )
    assert database.get(Import, job.id).status == "queued"
    assert run_worker(app) == 1
    done = database.get(Import, job.id)
    assert done.status == "done" and done.done == 200
    assert done.counts == {"invited": 196, "updated": 1, "unchanged": 0, "skipped": 3}
    assert database.count(Invitation) == 196 and database.count(Sector) == 5
    filled = database.get(User, member.id)
    assert filled.organisation == "Лікарня" and filled.sector is not None
    formula = database.all(Invitation, Invitation.email == "formula@example.org")[0]
    assert formula.name == '=HYPERLINK("http://x")'  # text, as typed
    nobody = database.all(User, User.email == "person7@example.org")
    assert nobody == []  # invited, not signed up

    # The same file again changes nothing.
    upload(client, csv_bytes(GOOGLE_FORMS_HEADER, a_forms_export_with_bad_rows()))
    second = database.all(Import)[-1]
    client.post(f"/community/import/{second.id}", data={**mapping, "action": "start"})
    run_worker(app)
    again = database.get(Import, second.id)
    assert again.counts["invited"] == 0 and database.count(Invitation) == 196

    # Each invitation is mailed once, in the person's language.
    sent = deliver()
    assert len([m for m in sent if m["To"].startswith("person")]) == 194
    english = next(m for m in sent if m["To"] == "person0@example.org")  # English only
    assert "you are invited" in english["Subject"]
    ukrainian = next(m for m in sent if m["To"] == "person1@example.org")
    assert "вас запрошено" in ukrainian["Subject"]
    page = client.get("/community/import").get_data(as_text=True)
    assert re.search(r'id="invited-count">196<', page) and re.search(
        r'id="accepted-count">0<', page
    )


def test_an_invitation_is_accepted_through_the_emailed_link(
    app, client, admin, auth, database, deliver
):
    upload(client, csv_bytes(GOOGLE_FORMS_HEADER, google_forms_rows(3)))
    [job] = database.all(Import)
    client.post(
        f"/community/import/{job.id}",
        data={
            **forms_mapping(),
            "action": "start",
        },
    )
    run_worker(app)
    [mail] = [m for m in deliver() if m["To"] == "person1@example.org"]
    link = re.search(
        r"http://spilno.test(/auth/invitation/\S+)", mail.get_body(("plain",)).get_content()
    ).group(1)
    auth.logout()
    page = client.get(link).get_data(as_text=True)
    assert 'value="Людина Номер1"' in page
    short = client.post(link, data={"name": "Людина Номер1", "password": "short"})
    assert (
        short.status_code == 200 and database.count(User, User.email == "person1@example.org") == 0
    )
    joined = client.post(link, data={"name": "Людина Перша", "password": "довгий-пароль-1"})
    assert joined.location == "/me"
    [user] = database.all(User, User.email == "person1@example.org")
    assert user.name == "Людина Перша" and user.organisation == "Організація 1"
    assert user.city == "Львів" and user.languages == ["uk", "en"] and user.contact == "@person1"
    assert [t.name for t in user.interests] == ["освіта", "ші"] and user.sector.name_uk == "IT"
    assert user.created_at.year == 2025  # a member since the form, not a newcomer
    [invitation] = database.all(Invitation, Invitation.email == "person1@example.org")
    assert invitation.accepted_at is not None and invitation.user_id == user.id
    auth.logout()
    used = client.get(link)
    assert used.status_code == 400 and "вже використали" in used.get_data(as_text=True)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "empty.csv", "немає рядків"),
        (csv_bytes(["Email"], []), "header-only.csv", "немає рядків"),
        (b"PK\x03\x04 not a workbook", "broken.xlsx", "не вдається прочитати"),
        (b"%PDF-1.7", "list.pdf", "не вдається прочитати"),
    ],
    ids=["empty", "header-only", "malformed-xlsx", "pdf"],
)
def test_a_file_that_cannot_be_a_member_list_is_explained(
    client, admin, database, content, name, message
):
    page = upload(client, content, name).get_data(as_text=True)
    assert message in page and database.count(Import) == 0


def test_too_many_rows_are_refused_over_the_limit(app, client, admin, database):
    app.config["IMPORT_MAX_ROWS"] = 50
    page = upload(client, csv_bytes(GOOGLE_FORMS_HEADER, google_forms_rows(51))).get_data(
        as_text=True
    )
    assert "більше ніж 50 рядків" in page and database.count(Import) == 0


def test_windows_1251_semicolons_and_xlsx_with_formulas_are_read(client, admin, database):
    rows = google_forms_rows(2)
    upload(client, csv_bytes(GOOGLE_FORMS_HEADER, rows, encoding="cp1251", delimiter=";"))
    first = database.all(Import)[-1]
    assert first.rows[0][1] == "Людина Номер0" and first.rows[1][5] == "Львів"
    header = ["Email", "Name", "Organisation"]
    upload(client, xlsx_bytes(header, [["x@example.org", "Ікс", "=1+1"]]), "list.xlsx")
    second = database.all(Import)[-1]
    assert second.rows == [["x@example.org", "Ікс", "=1+1"]]
    assert second.mapping == {"0": "email", "1": "name", "2": "organisation"}


def test_without_an_email_column_nothing_starts(client, admin, database):
    upload(client, csv_bytes(["Ім'я", "Місто"], [["Хтось", "Київ"]]))
    [job] = database.all(Import)
    page = client.post(
        f"/community/import/{job.id}",
        data={"column-0": "name", "action": "start"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Виберіть стовпець із поштою" in page
    assert database.get(Import, job.id).status == "draft"
