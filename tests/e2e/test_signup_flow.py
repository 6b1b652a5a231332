"""Sign up, fill the profile, find yourself in the directory: on a phone, in both languages."""

import re

import pytest
from playwright.sync_api import expect

from app.models import User

CASES = {
    "uk": {
        "name": "Мар'яна Стефаник",
        "email": "maryana@example.org",
        "language_label": "Українська",
        "sector": "Освіта",
        "save": "Зберегти профіль",
        "saved": "Профіль збережено.",
        "create": "Створити обліковий запис",
        "members": "Учасники",
        "find": "Знайти",
        "found": "Знайдено 1 людину",
    },
    "en": {
        "name": "Maryana Stefanyk",
        "email": "maryana.en@example.org",
        "language_label": "English",
        "sector": "Education",
        "save": "Save my profile",
        "saved": "Your profile is saved.",
        "create": "Create my account",
        "members": "Members",
        "find": "Find",
        "found": "1 person found",
    },
}


def open_menu(page):
    toggler = page.locator(".navbar-toggler")
    if toggler.is_visible() and toggler.get_attribute("aria-expanded") != "true":
        toggler.click()
        # Bootstrap adds `show` when the opening animation ends: a tap during the animation,
        # on a busy machine, can land while the links are still moving.
        expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))


@pytest.mark.parametrize("language", ["uk", "en"])
def test_sign_up_fill_profile_find_yourself(
    language, live_server, phone, screenshot, make_sector, make_user, database
):
    case = CASES[language]
    make_sector("Освіта", "Education", "#f2a900")
    make_sector("Медіа", "Media", "#e8590c")
    make_user("Богдан Коваль", city="Львів")  # someone already here, who must not match

    page = phone
    page.goto(live_server + "/")
    if language == "en":  # the language switch stays in sight on a phone
        page.get_by_role("button", name="EN").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")

    open_menu(page)
    page.locator("nav").get_by_role("link", name=re.compile("Приєднатися|Join")).click()
    page.get_by_label(re.compile("Ваше ім'я|Your name")).fill(case["name"])
    page.get_by_label(re.compile("Електронна пошта|Email")).fill(case["email"])
    page.get_by_label(re.compile("^(Пароль|Password)")).fill("a-long-password")
    page.get_by_label(case["language_label"], exact=True).check()
    screenshot(page, "signup")
    page.get_by_role("button", name=case["create"]).click()

    expect(page).to_have_url(live_server + "/me")
    page.get_by_label(re.compile("Сектор|Sector")).select_option(label=case["sector"])
    page.get_by_label(re.compile("Організація|Organisation")).fill("Освіторія")
    page.get_by_label(re.compile("^(Місто|City)")).fill("Вінниця")
    page.get_by_label(re.compile("^(Англійська|English)$")).check()
    page.get_by_label(re.compile("Про мене|About me")).fill("Вчу дітей програмувати.")
    page.get_by_label(re.compile("^(Контакт|Contact)")).fill("@maryana")

    interests = page.get_by_label(re.compile("^(Інтереси|Interests)"))
    interests.fill("освіта")
    interests.press("Enter")
    interests.fill("Кіно")
    interests.press("Enter")
    expect(page.locator(".tag-chip")).to_have_count(2)
    offers = page.get_by_label(re.compile("Можу допомогти з|I can help with"))
    offers.fill("менторство")
    offers.press("Enter")
    screenshot(page, "profile-form")
    page.get_by_role("button", name=case["save"]).click()

    expect(page.get_by_text(case["saved"])).to_be_visible()
    expect(page.locator("h1")).to_have_text(case["name"])
    screenshot(page, "profile")

    open_menu(page)
    page.get_by_role("link", name=case["members"], exact=True).click()
    page.locator("#q").fill(case["name"].split()[1].upper())
    page.get_by_role("button", name=case["find"]).click()
    expect(page.locator("#result-count")).to_contain_text(case["found"])
    card = page.locator(".member-card")
    expect(card).to_have_count(1)
    expect(card).to_contain_text(case["name"])
    expect(card).to_contain_text(case["sector"])
    screenshot(page, "directory")
    card.click()
    expect(page.locator("h1")).to_have_text(case["name"])

    [saved] = database.all(User, User.email == case["email"])
    assert saved.locale == language
    assert (saved.city, saved.languages) == ("Вінниця", ["en"])
    assert sorted(tag.name for tag in saved.interests) == ["кіно", "освіта"]
    assert [tag.name for tag in saved.offers] == ["менторство"]
