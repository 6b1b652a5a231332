"""Questions on an event's registration form: asked, checked, kept, shown and exported."""

import csv
import io
import json

import pytest

from app.models import EventQuestion, Registration


@pytest.fixture
def asked(app, client, auth, make_user, make_event):
    """An event whose hosts ask three questions, the first two required."""
    host = make_user("Тарас Мельник", role="host")
    event = make_event(host=host, title="Вечір знайомств")
    auth.login(host)
    for data in (
        {"kind": "text", "text": "Яка ваша роль?", "required": "y"},
        {"kind": "single", "text": "Формат", "options": "Офлайн\nОнлайн", "required": "y"},
        {"kind": "multiple", "text": "Теми", "options": "Освіта\nIT\nКультура"},
        {"kind": "yesno", "text": "Потрібен паркінг?"},
    ):
        assert client.post(f"/events/{event.id}/questions", data=data).status_code == 302
    auth.logout()
    return {"event": event, "host": host}


def question_ids(database, event):
    return [q.id for q in database.all(EventQuestion, EventQuestion.event_id == event.id)]


def test_a_host_builds_the_form_and_a_choice_needs_two_options(client, auth, asked, database):
    event = asked["event"]
    auth.login(asked["host"])
    page = client.post(
        f"/events/{event.id}/questions",
        data={"kind": "single", "text": "Одна опція", "options": "Лише одна"},
    ).get_data(as_text=True)
    assert "Дайте щонайменше два варіанти" in page and 'value="Одна опція"' in page
    assert len(question_ids(database, event)) == 4
    first, second, *_ = question_ids(database, event)
    client.post(f"/events/{event.id}/questions/{second}/move", data={"direction": "up"})
    listing = client.get(f"/events/{event.id}/questions").get_data(as_text=True)
    assert listing.index("Формат") < listing.index("Яка ваша роль?")
    client.post(f"/events/{event.id}/questions/{first}/remove")
    assert len(question_ids(database, event)) == 3


def test_a_member_answers_and_a_missing_answer_is_explained_and_kept(
    client, auth, asked, make_user, database
):
    event = asked["event"]
    role, fmt, topics, parking = question_ids(database, event)
    auth.login(make_user("Ірина Коваль", email="iryna@example.org"))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Яка ваша роль?" in page and "Потрібен паркінг?" in page
    # A forged choice and a missing required answer: nothing saved, the rest kept.
    sent = {f"q{fmt}": "Марс", f"q{topics}": ["IT", "Культура"], f"q{parking}": "yes"}
    response = client.post(f"/events/{event.id}/register", data=sent)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Будь ласка, дайте відповідь на це запитання." in page
    assert "Виберіть один із варіантів." in page
    assert 'value="Культура" checked' in page and 'value="yes" checked' in page
    assert database.count(Registration) == 0

    sent.update({f"q{role}": "Вчителька", f"q{fmt}": "Онлайн"})
    assert client.post(f"/events/{event.id}/register", data=sent).status_code == 302
    [seat] = database.all(Registration)
    assert seat.status == "confirmed"
    assert seat.answers == {
        str(role): "Вчителька",
        str(fmt): "Онлайн",
        str(topics): ["IT", "Культура"],
        str(parking): "yes",
    }

    exported = json.loads(client.get("/me/export").get_data(as_text=True))
    [registration] = exported["registrations"]
    assert registration["answers"] == {
        "Яка ваша роль?": "Вчителька",
        "Формат": "Онлайн",
        "Теми": "IT; Культура",
        "Потрібен паркінг?": "Так",
    }

    auth.logout()
    auth.login(asked["host"])
    attendees = client.get(f"/events/{event.id}/attendees").get_data(as_text=True)
    assert "Вчителька" in attendees and "IT; Культура" in attendees
    text = client.get(f"/events/{event.id}/attendees.csv").get_data().decode("utf-8-sig")
    [row] = csv.DictReader(io.StringIO(text))
    assert row["Яка ваша роль?"] == "Вчителька" and row["Потрібен паркінг?"] == "Так"
    assert row["Теми"] == "IT; Культура"
