import re
from urllib.parse import unquote

from app.models import Sector, User


def test_admin_lists_and_searches_people(client, auth, make_user):
    admin = make_user("Оксана Адмін", role="admin")
    make_user("Тарас Мельник", email="taras@example.org")
    make_user("Ірина Коваль", role="host")
    auth.login(admin)
    page = client.get("/admin/").get_data(as_text=True)
    assert "3 людини" in page and "taras@example.org" in page

    found = client.get("/admin/", query_string={"q": "ТАРАС"}).get_data(as_text=True)
    assert "Тарас Мельник" in found and "Ірина Коваль" not in found
    by_email = client.get("/admin/", query_string={"q": "taras@"}).get_data(as_text=True)
    assert "Тарас Мельник" in by_email
    hosts = client.get("/admin/", query_string={"role": "host"}).get_data(as_text=True)
    assert "Ірина Коваль" in hosts and "Тарас Мельник" not in hosts


def test_admin_changes_a_role(client, auth, make_user, database):
    admin = make_user(role="admin")
    member = make_user("Тарас Мельник")
    auth.login(admin)
    response = client.post(
        f"/admin/users/{member.id}/role", data={"role": "host", "back": "/admin/?q=Тарас"}
    )
    assert unquote(response.location) == "/admin/?q=Тарас"
    assert database.get(User, member.id).role == "host"
    assert "Тарас Мельник отримує роль «Організатор»." in client.get("/admin/").text


def test_role_change_never_redirects_off_site(client, auth, make_user):
    admin = make_user(role="admin")
    member = make_user()
    auth.login(admin)
    response = client.post(
        f"/admin/users/{member.id}/role", data={"role": "host", "back": "https://evil.example/"}
    )
    assert response.location == "/admin/"


def test_the_last_admin_keeps_the_role(client, auth, make_user, database):
    admin = make_user(role="admin")
    auth.login(admin)
    client.post(f"/admin/users/{admin.id}/role", data={"role": "member"})
    assert database.get(User, admin.id).role == "admin"
    assert "Спільноті потрібен хоча б один адміністратор" in client.get("/admin/").get_data(
        as_text=True
    )


def test_an_unknown_role_is_refused(client, auth, make_user, database):
    admin = make_user(role="admin")
    member = make_user()
    auth.login(admin)
    client.post(f"/admin/users/{member.id}/role", data={"role": "owner"})
    assert database.get(User, member.id).role == "member"


def test_admin_adds_and_edits_sectors(client, auth, make_user, database):
    auth.login(make_user(role="admin"))
    response = client.post(
        "/admin/sectors", data={"name_uk": "Медіа", "name_en": "Media", "colour": "#E8590C"}
    )
    assert response.location == "/admin/sectors"
    [sector] = database.all(Sector)
    assert (sector.name_uk, sector.name_en, sector.colour) == ("Медіа", "Media", "#e8590c")

    client.post(
        f"/admin/sectors/{sector.id}",
        data={"name_uk": "Медіа і комунікації", "name_en": "Media", "colour": "#123456"},
    )
    assert database.get(Sector, sector.id).name_uk == "Медіа і комунікації"
    page = client.get("/admin/sectors").get_data(as_text=True)
    assert "Медіа і комунікації" in page and "--sector: #123456" in page


def test_sector_errors_keep_what_was_typed(client, auth, make_user, make_sector, database):
    make_sector("Освіта", "Education")
    auth.login(make_user(role="admin"))
    page = client.post(
        "/admin/sectors", data={"name_uk": "Освіта", "name_en": "Schools", "colour": "#000000"}
    ).get_data(as_text=True)
    assert "Сектор з такою назвою вже є." in page and 'value="Schools"' in page
    page = client.post(
        "/admin/sectors", data={"name_uk": "Наука", "name_en": "Science", "colour": "red"}
    ).get_data(as_text=True)
    assert "Колір у форматі #2f6fde." in page and 'value="Наука"' in page
    assert database.count(Sector) == 1


def test_the_sector_list_counts_members(client, auth, make_user, make_sector):
    sector = make_sector("Освіта", "Education")
    make_user(sector_id=sector.id)
    make_user(sector_id=sector.id)
    auth.login(make_user(role="admin"))
    page = client.get("/admin/sectors").get_data(as_text=True)
    row = re.search(r"Освіта</span></td>.*?</tr>", page, re.S).group(0)
    assert '<td class="text-end">2</td>' in row


def test_an_unused_sector_is_removed_and_a_used_one_merged(
    client, auth, make_user, make_sector, database
):
    unused = make_sector("Порожній", "Empty")
    education, teaching = make_sector("Освіта", "Education"), make_sector("Навчання", "Teaching")
    people = [make_user(sector_id=teaching.id) for _ in range(2)]
    auth.login(make_user(role="admin"))
    assert "Цей сектор ніхто не вказує." in client.get(f"/admin/sectors/{unused.id}").text
    gone = client.post(f"/admin/sectors/{unused.id}/remove", follow_redirects=True)
    assert "Сектор «Порожній» вилучено." in gone.text
    # A sector people name is not simply dropped: they must go somewhere.
    refused = client.post(f"/admin/sectors/{teaching.id}/remove", follow_redirects=True)
    assert "Цей сектор ще вказують учасники" in refused.text
    assert "Його вказують 2 учасники. Перенести до сектору:" in refused.text
    merged = client.post(
        f"/admin/sectors/{teaching.id}/remove",
        data={"merge_into": education.id},
        follow_redirects=True,
    )
    assert "Сектор «Навчання» вилучено, його учасників перенесено." in merged.text
    assert [s.name_uk for s in database.all(Sector)] == ["Освіта"]
    assert {database.get(User, p.id).sector_id for p in people} == {education.id}
