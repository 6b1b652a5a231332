import re

import pytest

from app.extensions import db
from app.models import User
from app.services.profiles import tags_named


@pytest.fixture
def community(app, make_user, make_sector, auth):
    """A small community: who is where, and what they care about."""
    it = make_sector("ІТ", "IT", "#2f6fde")
    culture = make_sector("Культура", "Culture", "#c2185b")
    people = {
        "olena": make_user("Олена Коваль", sector_id=it.id, city="Київ", contact="@olena"),
        "oleh": make_user("Олег Мороз", sector_id=culture.id, city="Львів"),
        "iryna": make_user("Ірина Олійник", sector_id=culture.id, city="Київ"),
        "viewer": make_user("Дарина Бойко", city="Одеса"),
    }
    with app.app_context():
        olena = db.session.get(User, people["olena"].id)
        olena.interests = tags_named(["кіно", "штучний інтелект"])
        iryna = db.session.get(User, people["iryna"].id)
        iryna.interests = tags_named(["кіно"])
        db.session.commit()
    auth.login(people["viewer"])
    return {"sectors": {"it": it, "culture": culture}, **people}


def names_on(page: str) -> list[str]:
    return re.findall(r'<h2 class="h6 mb-1 member-name">([^<]+)</h2>', page)


def directory(client, **params):
    return client.get("/members/", query_string=params).get_data(as_text=True)


def test_everyone_is_listed_by_name(client, community):
    page = directory(client)
    assert names_on(page) == ["Дарина Бойко", "Ірина Олійник", "Олег Мороз", "Олена Коваль"]
    assert "Знайдено 4 людини" in page  # Ukrainian plural: 4 → "людини"


def test_search_by_name_ignores_case_in_cyrillic(client, community):
    assert names_on(directory(client, q="ОЛЕ")) == ["Олег Мороз", "Олена Коваль"]
    assert names_on(directory(client, q="олійник")) == ["Ірина Олійник"]
    assert "Знайдено 1 людину" in directory(client, q="олійник")


def test_a_percent_sign_is_searched_literally(client, community):
    assert names_on(directory(client, q="%")) == []


def test_filter_by_sector_interest_and_city(client, community):
    culture = community["sectors"]["culture"].id
    assert names_on(directory(client, sector=culture)) == ["Ірина Олійник", "Олег Мороз"]
    assert names_on(directory(client, interest="Кіно")) == ["Ірина Олійник", "Олена Коваль"]
    assert names_on(directory(client, city="Київ", interest="кіно", sector=culture)) == [
        "Ірина Олійник"
    ]
    page = directory(client, city="Харків")
    assert names_on(page) == [] and "За цими фільтрами поки нікого немає." in page


def test_the_directory_is_paginated(app, client, community, make_user):
    app.config["MEMBERS_PER_PAGE"] = 3
    first, second = directory(client), directory(client, page=2)
    assert len(names_on(first)) == 3 and len(names_on(second)) == 1
    assert 'href="/members/?page=2"' in first
    assert names_on(directory(client, page=99)) == []


def test_filters_survive_paging(app, client, community):
    app.config["MEMBERS_PER_PAGE"] = 1
    page = directory(client, city="Київ")
    assert "page=2" in page and "city=%D0%9A%D0%B8%D1%97%D0%B2" in page


def test_email_and_contact_are_not_shown_to_other_members(client, community):
    olena = community["olena"]
    page = client.get(f"/members/{olena.id}").get_data(as_text=True)
    assert "Олена Коваль" in page and "штучний інтелект" in page
    assert olena.email not in page and "@olena" not in page
    assert olena.email not in directory(client)


def test_a_member_sees_their_own_email_and_contact(client, auth, community):
    auth.logout()
    auth.login(community["olena"])
    page = client.get(f"/members/{community['olena'].id}").get_data(as_text=True)
    assert community["olena"].email in page and "@olena" in page


def test_deleted_members_disappear(app, client, community):
    with app.app_context():
        db.session.get(User, community["oleh"].id).deleted_at = db.func.now()
        db.session.commit()
    assert "Олег Мороз" not in names_on(directory(client))
    assert client.get(f"/members/{community['oleh'].id}").status_code == 404


def test_the_directory_page_makes_a_fixed_number_of_queries(
    client, community, make_user, count_queries
):
    few = count_queries(client, "/members/")
    for n in range(15):
        make_user(f"Новий Учасник {n}")
    assert count_queries(client, "/members/") == few
