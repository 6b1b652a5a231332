import json

from app.extensions import db
from app.models import (
    Answer,
    CoffeeSubscription,
    Meeting,
    MeetingMember,
    Question,
    Registration,
    Response,
    Round,
    Survey,
    Tag,
    User,
)
from tests.conftest import PASSWORD

PROFILE = {
    "name": "Соломія Гнатюк",
    "organisation": "Освіторія",
    "city": "Львів",
    "languages": ["uk", "en", "pl"],
    "bio": "Будую школи майбутнього.",
    "contact": "@solomiia",
    "interests": "Освіта, ШІ, освіта",
    "offers": "менторство",
    "asks": "партнери для проєкту, фандрейзинг",
}


def test_a_member_fills_in_their_profile(client, auth, make_user, make_sector, database):
    sector = make_sector()
    user = make_user()
    auth.login(user)
    response = client.post("/me", data={**PROFILE, "sector_id": sector.id})
    assert response.status_code == 302 and response.location == f"/members/{user.id}"

    saved = database.get(User, user.id)
    assert saved.name == "Соломія Гнатюк" and saved.sector_id == sector.id
    assert (saved.organisation, saved.city, saved.contact) == ("Освіторія", "Львів", "@solomiia")
    assert saved.languages == ["uk", "en", "pl"]
    assert [t.name for t in saved.interests] == ["освіта", "ші"]
    assert [t.name for t in saved.offers] == ["менторство"]
    assert sorted(t.name for t in saved.asks) == ["партнери для проєкту", "фандрейзинг"]

    page = client.get(f"/members/{user.id}").get_data(as_text=True)
    assert "Профіль збережено." in page
    for text in ("Соломія Гнатюк", "Освіторія", "Освіта", "менторство", "Польська", "@solomiia"):
        assert text in page


def test_tags_are_shared_and_suggested_from_what_others_use(client, auth, make_user, database):
    first, second = make_user(), make_user()
    auth.login(first)
    client.post("/me", data={**PROFILE, "sector_id": 0, "interests": "кіно, урбаністика"})
    auth.logout()
    auth.login(second)
    client.post("/me", data={**PROFILE, "sector_id": 0, "interests": "Кіно"})
    assert database.count(Tag, Tag.name == "кіно") == 1

    page = client.get("/me").get_data(as_text=True)
    assert '<option value="урбаністика">' in page  # someone else's tag, suggested
    assert 'value="кіно"' in page  # and the member's own, filled in


def test_invalid_profile_keeps_what_was_typed_and_saves_nothing(client, auth, make_user, database):
    user = make_user("Стара Назва")
    auth.login(user)
    too_many = ", ".join(f"тег{n}" for n in range(13))
    page = client.post(
        "/me", data={**PROFILE, "sector_id": 0, "name": "", "interests": too_many}
    ).get_data(as_text=True)
    assert "Не більше 12 позначок" in page
    assert "Освіторія" in page and "тег12" in page
    saved = database.get(User, user.id)
    assert saved.name == "Стара Назва" and saved.organisation == ""


def test_a_member_downloads_their_data_as_json(client, auth, make_user, make_sector):
    sector = make_sector()
    user = make_user("Марія Бойко")
    auth.login(user)
    client.post("/me", data={**PROFILE, "name": "Марія Бойко", "sector_id": sector.id})
    response = client.get("/me/export")
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["account"]["email"] == user.email
    assert data["account"]["name"] == "Марія Бойко"
    assert data["profile"]["sector"] == "Education"
    assert data["profile"]["interests"] == ["освіта", "ші"]
    assert "password" not in json.dumps(data)


def test_the_export_holds_seats_meetings_answers_coffee_and_blocks(
    app, client, auth, make_user, make_event, database
):
    user, partner = make_user("Марія Бойко"), make_user("Партнер Зустрічі")
    event = make_event(title="Вечір експорту")
    auth.login(user)
    client.post(f"/events/{event.id}/register")
    client.post("/coffee", data={"frequency": "monthly", "format": "online", "share_contact": "y"})
    client.post(f"/members/{partner.id}/block")
    with app.app_context():
        round_ = Round(kind="coffee", number=1, status="published", starts_at=event.starts_at)
        meeting = Meeting(round=round_)
        meeting.members = [
            MeetingMember(user_id=user.id, round=round_, met="yes", rating=5, comment="Чудово"),
            MeetingMember(user_id=partner.id, round=round_, met="yes", comment="Їхнє"),
        ]
        survey = Survey(title="Як вам вечір?", anonymous=False)
        question = Question(survey=survey, kind="single", text="Що далі?", options=["Ще", "Досить"])
        db.session.add_all([meeting, survey, question])
        db.session.flush()
        response = Response(survey_id=survey.id, user_id=user.id)
        db.session.add(response)
        db.session.flush()
        db.session.add(Answer(response_id=response.id, question_id=question.id, option=0))
        db.session.commit()
    data = json.loads(client.get("/me/export").get_data(as_text=True))
    [seat] = data["registrations"]
    assert (seat["event"], seat["status"]) == ("Вечір експорту", "confirmed")
    [met] = data["meetings"]
    assert (met["kind"], met["met"], met["rating"]) == ("coffee", "yes", 5)
    assert met["comment"] == "Чудово"
    assert "Їхнє" not in json.dumps(data, ensure_ascii=False)  # the partner's words are theirs
    [answers] = data["survey_answers"]
    assert answers["answers"] == [{"question": "Що далі?", "answer": ["Ще"]}]
    assert data["coffee"]["frequency"] == "monthly"
    assert data["consents"]["coffee_partners_see_my_email_and_contact"] is True
    assert [b["name"] for b in data["blocked_members"]] == ["Партнер Зустрічі"]


class TestDeleteAccount:
    def test_deleting_needs_the_password_and_the_tick(self, client, auth, make_user, database):
        user = make_user("Остап Ярема")
        auth.login(user)
        page = client.post("/me/delete", data={"password": "wrong"}).get_data(as_text=True)
        assert "Позначте, щоб підтвердити." in page
        page = client.post("/me/delete", data={"password": "wrong", "understood": "y"}).get_data(
            as_text=True
        )
        assert "Неправильний пароль." in page
        assert database.get(User, user.id).name == "Остап Ярема"

    def test_deleting_erases_the_person_and_keeps_an_anonymous_row(
        self, client, auth, make_user, make_sector, database
    ):
        sector = make_sector()
        user = make_user("Остап Ярема")
        auth.login(user)
        client.post("/me", data={**PROFILE, "name": "Остап Ярема", "sector_id": sector.id})
        response = client.post("/me/delete", data={"password": PASSWORD, "understood": "y"})
        assert response.location == "/"
        assert "Ваш обліковий запис видалено." in client.get("/").get_data(as_text=True)

        row = database.get(User, user.id)
        assert row.deleted_at is not None
        assert (row.email, row.password_hash, row.name, row.contact, row.bio) == (
            None,
            None,
            "",
            "",
            "",
        )
        assert row.interests == [] and row.sector_id is None
        assert client.get("/me").status_code == 302  # logged out

    def test_deleting_gives_up_seats_coffee_and_what_is_to_come(
        self, app, client, auth, make_user, make_event, database, deliver
    ):
        event = make_event(capacity=1)
        leaving, waiting = make_user("Остап Ярема"), make_user("Чекає Черга")
        auth.login(leaving)
        client.post(f"/events/{event.id}/register")
        client.post("/coffee", data={"frequency": "weekly", "format": "online"})
        deliver()  # the confirmation went out before
        other = app.test_client()
        other.post("/auth/login", data={"email": waiting.email, "password": PASSWORD})
        other.post(f"/events/{event.id}/register")
        client.post("/me/delete", data={"password": PASSWORD, "understood": "y"})

        seats = {r.user_id: r.status for r in database.all(Registration)}
        assert seats == {leaving.id: "cancelled", waiting.id: "confirmed"}  # the queue moved
        sent = deliver()
        assert {m["To"] for m in sent} == {waiting.email}  # nothing to the deleted address
        assert database.all(CoffeeSubscription) == []
        host = app.test_client()
        host.post("/auth/login", data={"email": event.hosts[0].email, "password": PASSWORD})
        page = host.get(f"/events/{event.id}/attendees?show=everyone").get_data(as_text=True)
        assert "Чекає Черга" in page and "Видалений обліковий запис" not in page
        csv_text = host.get(f"/events/{event.id}/attendees.csv").get_data(as_text=True)
        assert len(csv_text.strip().splitlines()) == 2  # the header and the one attendee

    def test_a_deleted_member_leaves_draft_rounds_and_keeps_past_meetings(
        self, app, client, auth, make_user, database
    ):
        user, partner = make_user("Остап Ярема"), make_user("Партнер")
        with app.app_context():
            past = Round(kind="coffee", number=1, status="closed")
            draft = Round(kind="coffee", number=2, status="draft")
            for round_ in (past, draft):
                meeting = Meeting(round=round_)
                meeting.members = [
                    MeetingMember(user_id=user.id, round=round_),
                    MeetingMember(user_id=partner.id, round=round_),
                ]
                db.session.add(meeting)
            db.session.commit()
            past_id = past.id
        auth.login(user)
        client.post("/me/delete", data={"password": PASSWORD, "understood": "y"})
        mine = database.all(MeetingMember, MeetingMember.user_id == user.id)
        assert [m.round_id for m in mine] == [past_id]  # history stays, the draft is left

    def test_named_survey_answers_stay_without_the_name(
        self, app, client, auth, make_user, database
    ):
        user = make_user("Остап Ярема")
        with app.app_context():
            survey = Survey(title="Пульс", anonymous=False)
            db.session.add(survey)
            db.session.flush()
            db.session.add(Response(survey_id=survey.id, user_id=user.id))
            db.session.commit()
        auth.login(user)
        client.post("/me/delete", data={"password": PASSWORD, "understood": "y"})
        [response] = database.all(Response)
        assert response.user_id is None

    def test_the_last_admin_cannot_delete_themselves(self, client, auth, make_user, database):
        admin = make_user(role="admin")
        auth.login(admin)
        page = client.post("/me/delete", data={"password": PASSWORD, "understood": "y"}).get_data(
            as_text=True
        )
        assert "Спільноті потрібен хоча б один адміністратор" in page
        assert database.get(User, admin.id).deleted_at is None


def shown_version(page: str) -> str:
    return page.split('name="edit_version" type="hidden" value="', 1)[1].split('"', 1)[0]


def test_a_second_tabs_save_does_not_undo_the_first(client, auth, make_user, database):
    profile = {**PROFILE, "sector_id": 0}
    user = make_user("Оксана Стара")
    auth.login(user)
    first_tab, second_tab = (
        shown_version(client.get("/me").text),
        shown_version(client.get("/me").text),
    )
    client.post("/me", data={**profile, "name": "Оксана Перша", "edit_version": first_tab})
    late = client.post("/me", data={**profile, "name": "Оксана Друга", "edit_version": second_tab})
    assert late.status_code == 200
    assert "Це збережено в іншій вкладці або кимось іншим" in late.text
    assert 'value="Оксана Друга"' in late.text  # what was typed is kept
    assert database.get(User, user.id).name == "Оксана Перша"  # the first save stands
    # Having looked, the person saves again: now it goes through.
    again = client.post(
        "/me", data={**profile, "name": "Оксана Друга", "edit_version": shown_version(late.text)}
    )
    assert again.status_code == 302 and database.get(User, user.id).name == "Оксана Друга"
