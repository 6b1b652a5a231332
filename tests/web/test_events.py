"""Hosts create and manage events; everyone browses them."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from app.extensions import db
from app.models import Event, OutboxMessage, Registration, User
from app.models.types import utcnow


def local(days=7, hour=18, minute=30, zone="Europe/Kyiv"):
    moment = (utcnow() + timedelta(days=days)).astimezone(ZoneInfo(zone))
    return moment.replace(hour=hour, minute=minute, second=0, microsecond=0)


def form_data(**changes):
    start = local()
    data = {
        "title": "Освіта × IT: вечір знайомств",
        "description": "**Приходьте** знайомитися.\n\n<script>alert(1)</script>",
        "format": "offline",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "timezone": "Europe/Kyiv",
        "venue": "Мистецький арсенал",
        "address": "вул. Лаврська, 10",
        "city": "Київ",
        "online_url": "",
        "capacity": "30",
        "registration_closes_at": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def host(make_user, auth):
    person = make_user("Тарас Мельник", role="host")
    auth.login(person)
    return person


class TestCreate:
    def test_a_host_creates_a_draft_in_the_events_time_zone(self, client, host, database):
        response = client.post("/events/new", data=form_data())
        [event] = database.all(Event)
        assert response.location == f"/events/{event.id}"
        assert event.status == "draft" and [h.id for h in event.hosts] == [host.id]
        assert event.local_starts_at.hour == 18 and event.local_starts_at.minute == 30
        assert event.starts_at.utcoffset() == timedelta(0)  # stored in UTC
        page = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert "Чернетка: цю сторінку бачать лише організатори." in page
        assert "<strong>Приходьте</strong>" in page and "<script>alert" not in page

    def test_a_warsaw_event_keeps_its_own_clock(self, client, host, database):
        start = local(zone="Europe/Warsaw")
        client.post(
            "/events/new",
            data=form_data(
                timezone="Europe/Warsaw",
                starts_at=start.strftime("%Y-%m-%dT%H:%M"),
                ends_at=(start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            ),
        )
        [event] = database.all(Event)
        assert event.local_starts_at.hour == 18 and event.timezone == "Europe/Warsaw"
        page = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert "18:30–19:30 (Europe/Warsaw)" in page

    @pytest.mark.parametrize(
        ("changes", "message"),
        [
            (
                {"ends_at": local(hour=17).strftime("%Y-%m-%dT%H:%M")},
                "Кінець має бути пізніше за початок.",
            ),
            (
                {
                    "starts_at": local(days=-2).strftime("%Y-%m-%dT%H:%M"),
                    "ends_at": local(days=-2, hour=20).strftime("%Y-%m-%dT%H:%M"),
                },
                "Нова подія не може починатися в минулому.",
            ),
            ({"format": "online"}, "Для онлайн-події потрібне посилання."),
            (
                {"format": "hybrid", "online_url": "https://meet.jit.si/x", "venue": ""},
                "Для офлайн-події потрібне місце проведення.",
            ),
            ({"venue": ""}, "Для офлайн-події потрібне місце проведення."),
            ({"online_url": "not a link", "format": "online"}, "Повне посилання"),
            ({"capacity": "0"}, "Число має бути між 1 та 100000."),
            ({"starts_at": "31.12.2026"}, "Недійсне значення дати/часу."),
        ],
    )
    def test_bad_input_is_explained_and_kept(self, client, host, database, changes, message):
        page = client.post("/events/new", data=form_data(**changes)).get_data(as_text=True)
        assert message in page
        assert 'value="Освіта × IT: вечір знайомств"' in page
        assert database.count(Event) == 0

    def test_members_cannot_create_events(self, client, auth, make_user, database):
        auth.logout()
        auth.login(make_user())
        assert client.post("/events/new", data=form_data()).status_code == 403
        assert database.count(Event) == 0


class TestManage:
    def test_publish_edit_and_cancel(self, client, host, make_event, make_user, database):
        event = make_event(host=host, status="draft")
        assert client.get(f"/events/{event.id}").status_code == 200
        client.post(f"/events/{event.id}/publish")
        assert database.get(Event, event.id).status == "published"

        client.post(f"/events/{event.id}/cancel")  # the box was not ticked
        assert database.get(Event, event.id).status == "published"
        client.post(f"/events/{event.id}/cancel", data={"confirm": "yes"})
        assert database.get(Event, event.id).status == "cancelled"
        page = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert "Цю подію скасовано." in page

    def test_the_capacity_cannot_go_below_the_seats_taken(
        self, client, host, make_event, make_user, auth, database
    ):
        event = make_event(host=host, capacity=5)
        for n in range(3):
            member_client = client.application.test_client()
            member = make_user(f"Гість {n}")
            member_client.post(
                "/auth/login", data={"email": member.email, "password": "correct horse battery"}
            )
            member_client.post(f"/events/{event.id}/register")
        start = event.local_starts_at
        page = client.post(
            f"/events/{event.id}/edit",
            data=form_data(
                capacity="2",
                title="Новий заголовок",
                starts_at=start.strftime("%Y-%m-%dT%H:%M"),
                ends_at=(start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
            ),
        ).get_data(as_text=True)
        assert "Уже зайнято місць: 3; місткість не може бути меншою." in page
        assert 'value="Новий заголовок"' in page
        saved = database.get(Event, event.id)
        assert (saved.capacity, saved.title) == (5, "Нетворкінг-вечір")

    def test_other_hosts_cannot_manage_someone_elses_event(
        self, client, auth, make_event, make_user
    ):
        event = make_event()
        auth.login(make_user(role="host"))
        assert client.get(f"/events/{event.id}/edit").status_code == 403
        assert client.post(f"/events/{event.id}/publish").status_code == 403

    def test_a_draft_is_hidden_from_everyone_but_its_hosts(
        self, client, make_event, make_user, auth
    ):
        event = make_event(status="draft")
        assert client.get(f"/events/{event.id}").status_code == 404
        auth.login(make_user())
        assert client.get(f"/events/{event.id}").status_code == 404
        assert "Нетворкінг-вечір" not in client.get("/events/").get_data(as_text=True)


class TestBrowse:
    def test_upcoming_and_past_with_filters(self, client, make_event):
        make_event(title="Київ офлайн")
        make_event(
            title="Онлайн-кава", format="online", city="", venue="", online_url="https://x.test"
        )
        past_start = utcnow() - timedelta(days=3)
        make_event(title="Минула", starts_at=past_start, ends_at=past_start + timedelta(hours=2))
        upcoming = client.get("/events/").get_data(as_text=True)
        assert "Київ офлайн" in upcoming and "Онлайн-кава" in upcoming and "Минула" not in upcoming
        past = client.get("/events/?when=past").get_data(as_text=True)
        assert "Минула" in past and "Київ офлайн" not in past
        online = client.get("/events/?format=online").get_data(as_text=True)
        assert "Онлайн-кава" in online and "Київ офлайн" not in online
        kyiv = client.get("/events/?city=Київ").get_data(as_text=True)
        assert "Київ офлайн" in kyiv and "Онлайн-кава" not in kyiv

    def test_seats_left_and_the_right_button(self, client, auth, make_event, make_user):
        event = make_event(capacity=1)
        page = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert "Залишилося 1 місце" in page and "Увійдіть, щоб зареєструватися" in page
        assert f"/auth/login?next=/events/{event.id}" in page

        auth.login(make_user("Перша"))
        client.post(f"/events/{event.id}/register")
        page = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert "Ви йдете" in page and "Скасувати мою реєстрацію" in page
        auth.logout()

        auth.login(make_user("Друга"))
        page = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert "Усі місця зайняті." in page and "Стати в список очікування" in page
        client.post(f"/events/{event.id}/register")
        assert "Ви в списку очікування" in client.get(f"/events/{event.id}").get_data(as_text=True)

    def test_the_online_link_is_only_for_confirmed_attendees(
        self, client, auth, make_event, make_user
    ):
        event = make_event(
            format="hybrid", online_url="https://meet.jit.si/secret-room", capacity=1
        )
        assert "secret-room" not in client.get(f"/events/{event.id}").get_data(as_text=True)
        assert "secret-room" not in client.get(f"/events/{event.id}.ics").get_data(as_text=True)
        auth.login(make_user())
        assert "secret-room" not in client.get(f"/events/{event.id}").get_data(as_text=True)
        client.post(f"/events/{event.id}/register")
        assert "secret-room" in client.get(f"/events/{event.id}").get_data(as_text=True)

    def test_a_guest_logs_in_and_comes_straight_back(self, client, make_event, make_user):
        event = make_event()
        member = make_user()
        response = client.post(
            "/auth/login",
            data={
                "email": member.email,
                "password": "correct horse battery",
                "next": f"/events/{event.id}",
            },
        )
        assert response.location == f"/events/{event.id}"

    def test_registering_emails_a_confirmation_with_the_invitation(
        self, client, auth, make_event, make_user, database
    ):
        event = make_event()
        member = make_user(locale="en")
        auth.login(member)
        page = client.post(f"/events/{event.id}/register", follow_redirects=True)
        assert "You are registered." in page.get_data(as_text=True)
        [mail] = database.all(OutboxMessage)
        assert mail.to == member.email and mail.subject == "You are registered: Нетворкінг-вечір"
        assert mail.ics_method == "REQUEST" and f"UID:{event.uid}" in mail.ics
        [seat] = database.all(Registration)
        assert seat.status == "confirmed"

    def test_unregistering_frees_the_seat(self, client, auth, make_event, make_user, database):
        event = make_event()
        auth.login(make_user())
        client.post(f"/events/{event.id}/register")
        client.post(f"/events/{event.id}/unregister")
        [seat] = database.all(Registration)
        assert seat.status == "cancelled"

    def test_a_closed_event_says_so_and_saves_nothing(
        self, client, auth, make_event, make_user, database
    ):
        event = make_event(registration_closes_at=utcnow() - timedelta(hours=1))
        auth.login(make_user())
        page = client.post(f"/events/{event.id}/register", follow_redirects=True)
        assert "Реєстрацію на цю подію закрито." in page.get_data(as_text=True)
        assert database.count(Registration) == 0

    def test_home_shows_upcoming_events(self, client, make_event):
        make_event(title="Найближча зустріч")
        assert "Найближча зустріч" in client.get("/").get_data(as_text=True)


class TestNoCopiesNoLeftovers:
    def test_back_and_save_again_creates_the_event_once(self, client, host, database):
        form = client.get("/events/new").text
        key = form.split('name="once" type="hidden" value="', 1)[1].split('"', 1)[0]
        first = client.post("/events/new", data=form_data(once=key))
        again = client.post("/events/new", data=form_data(once=key), follow_redirects=True)
        assert first.location == again.request.path
        assert "Цю подію вже збережено." in again.text
        assert database.count(Event) == 1
        # A new form is a new event.
        other = client.get("/events/new").text.split('name="once" type="hidden" value="')[1]
        client.post("/events/new", data=form_data(once=other.split('"', 1)[0]))
        assert database.count(Event) == 2

    def test_a_host_deletes_a_draft_with_its_survey_but_not_a_published_event(
        self, app, client, host, make_event, database
    ):
        from app.models import Survey

        draft = make_event(host=host, status="draft")
        published = make_event(host=host)
        with app.app_context():
            db.session.add(Survey(event_id=draft.id, title="Чернетка опитування"))
            db.session.commit()
        gone = client.post(f"/events/{draft.id}/delete", follow_redirects=True)
        assert "Чернетку видалено." in gone.text
        assert database.get(Event, draft.id) is None and database.count(Survey) == 0
        kept = client.post(f"/events/{published.id}/delete", follow_redirects=True)
        assert "Видалити можна лише чернетку. Опубліковану подію скасуйте." in kept.text
        assert database.get(Event, published.id) is not None

    def test_two_hosts_editing_at_once_do_not_undo_each_other(
        self, app, client, host, make_user, make_event, database
    ):
        cohost = make_user("Друга Ведуча", role="host")
        event = make_event(host=host)
        with app.app_context():
            saved = db.session.get(Event, event.id)
            saved.hosts.append(db.session.get(User, cohost.id))
            db.session.commit()
        other = app.test_client()
        other.post("/auth/login", data={"email": cohost.email, "password": "correct horse battery"})

        def shown(browser):
            page = browser.get(f"/events/{event.id}/edit").text
            return page.split('name="edit_version" type="hidden" value="', 1)[1].split('"', 1)[0]

        mine, theirs = shown(client), shown(other)
        data = {"cohost_ids": [host.id, cohost.id]}
        saved = client.post(
            f"/events/{event.id}/edit",
            data=form_data(title="Мій заголовок", edit_version=mine, **data),
        )
        assert saved.status_code == 302
        late = other.post(
            f"/events/{event.id}/edit",
            data=form_data(title="Їхній заголовок", edit_version=theirs, **data),
        )
        assert "Це збережено в іншій вкладці або кимось іншим" in late.text
        assert 'value="Їхній заголовок"' in late.text
        assert database.get(Event, event.id).title == "Мій заголовок"


class TestDuplicate:
    def test_a_copy_is_a_draft_the_same_weekday_and_hour_still_ahead(
        self, app, client, host, make_event, make_user, database
    ):
        start = utcnow().replace(microsecond=0) - timedelta(days=10)
        details = {"title": "Кава з наукою", "capacity": 25, "venue": "Хаб"}
        past = make_event(
            host=host,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            requires_approval=True,
            **details,
        )
        member = make_user("Гість")
        with app.app_context():
            db.session.add(Registration(event_id=past.id, user_id=member.id, status="confirmed"))
            db.session.commit()
        response = client.post(f"/events/{past.id}/duplicate")
        copy = next(e for e in database.all(Event) if e.id != past.id)
        assert response.location == f"/events/{copy.id}/edit"
        assert {key: getattr(copy, key) for key in details} == details
        assert copy.requires_approval
        assert copy.status == "draft" and copy.uid != past.uid
        assert copy.starts_at == start + timedelta(weeks=2)  # 4 days ahead, same weekday
        assert copy.ends_at - copy.starts_at == timedelta(hours=2)
        assert database.count(Registration) == 1  # the seats stay with the original
        page = client.get(response.location).text
        assert "Копію збережено як чернетку" in page

    def test_a_cancelled_event_is_not_copied(self, client, host, make_event, database):
        cancelled = make_event(host=host, status="cancelled")
        page = client.post(f"/events/{cancelled.id}/duplicate", follow_redirects=True).text
        assert "Скасовану подію не копіюємо." in page
        assert database.count(Event) == 1
