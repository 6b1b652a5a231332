"""Who needs attention: the drifting, the newcomers who have not come, the twice absent."""

from datetime import timedelta

import sqlalchemy as sa

from app.extensions import db
from app.models import LevelSnapshot, OutboxMessage, Registration
from app.models.types import utcnow


def section(page: str, id_: str) -> str:
    start = page.index(f'id="{id_}"')
    end = page.find("<section", start + 1)
    return page[start : end if end != -1 else None]


def test_the_three_lists_and_an_invitation_to_the_next_event(
    app, client, auth, make_user, make_event
):
    now = utcnow()
    drifting = make_user("Дрейфує Далеко", created_at=now - timedelta(days=400))
    quiet = make_user("Тихий Новачок", created_at=now - timedelta(days=40))
    make_user("Зовсім Новий", created_at=now - timedelta(days=5))
    absent = make_user("Двічі Відсутній", created_at=now - timedelta(days=400))
    came_once = make_user("Прийшов Раз", created_at=now - timedelta(days=400))
    past = [
        make_event(starts_at=now - timedelta(days=d), ends_at=now - timedelta(days=d, hours=-2))
        for d in (20, 10)
    ]
    coming = make_event(title="Весняна зустріч")
    with app.app_context():
        db.session.add(
            LevelSnapshot(
                user_id=drifting.id, month=now.date().replace(day=1), level="drifting", score=0
            )
        )
        for event in past:
            db.session.add(Registration(event_id=event.id, user_id=absent.id, status="confirmed"))
        db.session.add(Registration(event_id=past[0].id, user_id=came_once.id, status="confirmed"))
        db.session.add(
            Registration(
                event_id=past[1].id,
                user_id=came_once.id,
                status="confirmed",
                checked_in_at=past[1].starts_at,
            )
        )
        db.session.commit()
    host = make_user("Тарас Мельник", role="host")
    auth.login(host)
    page = client.get("/people/attention").get_data(as_text=True)
    assert "Дрейфує Далеко" in section(page, "drifting")
    newcomers = section(page, "quiet-newcomers")
    assert "Тихий Новачок" in newcomers and "Зовсім Новий" not in newcomers
    twice = section(page, "twice-absent")
    assert "Двічі Відсутній" in twice and "Прийшов Раз" not in twice

    client.post(f"/people/{quiet.id}/invite")
    client.post(f"/people/{quiet.id}/invite")  # a second tap sends nothing more
    with app.app_context():
        [mail] = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.to == quiet.email)
        ).all()
        assert "Весняна зустріч" in mail.subject and "Тарас Мельник" in mail.text_body
    assert coming.id


def test_a_personal_word_goes_through_the_outbox_once(app, client, auth, make_user, database):
    member = make_user("Дрейфує Далеко")
    host = make_user("Тарас Мельник", role="host", email="taras@example.org", locale="en")
    auth.login(host)
    empty = client.post(f"/people/{member.id}/write", data={"subject": "Привіт", "text": " "})
    assert "This field is required." in empty.text and 'value="Привіт"' in empty.text
    assert database.count(OutboxMessage) == 0
    note = {"subject": "Сумуємо за вами", "text": "Приходьте в четвер, буде кава."}
    client.post(f"/people/{member.id}/write", data=note)
    client.post(f"/people/{member.id}/write", data=note)  # the same words again: sent once
    [mail] = database.all(OutboxMessage)
    assert mail.to == member.email and mail.subject == "Сумуємо за вами"
    assert "Приходьте в четвер, буде кава." in mail.text_body
    assert "Тарас Мельник" in mail.text_body and "taras@example.org" in mail.text_body
