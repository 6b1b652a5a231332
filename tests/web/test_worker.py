"""The worker cannot be poisoned: one bad duty or one bad text never stops the rest."""

import email
import logging
from email import policy

import sqlalchemy as sa

from app.extensions import db
from app.models import CoffeeSubscription, OutboxMessage
from app.models.types import utcnow
from app.services import coffee, duties
from tests.conftest import PASSWORD


def test_a_failing_duty_is_logged_rolled_back_and_the_others_still_run(
    app, client, make_user, caplog
):
    user = make_user()
    client.post("/auth/reset", data={"email": user.email})

    def broken(now):
        db.session.add(OutboxMessage(to="half@example.org", subject="x", text_body="x"))
        db.session.flush()
        raise RuntimeError("the coffee machine is on fire")

    with app.app_context(), caplog.at_level(logging.INFO, logger="spilno.worker"):
        outcome = duties.run_duties(utcnow(), [("coffee", broken), *duties.DUTIES[:1]])
    assert outcome == {"coffee": False, "mail": True}
    assert "coffee: failed and rolled back" in caplog.text
    assert "the coffee machine is on fire" in caplog.text  # the cause, with its traceback
    assert "mail: 1 sent, 0 to retry, 0 given up" in caplog.text
    with app.app_context():
        rows = db.session.scalars(sa.select(OutboxMessage)).all()
        assert [m.to for m in rows] == [user.email]  # nothing half-saved by the broken duty
        assert rows[0].sent_at is not None


def test_a_title_with_a_vertical_tab_or_line_separator_still_mails(
    app, make_user, make_event, runner, tmp_path
):
    event = make_event(title="Вечір\vзнайомств\u2028Частина 2")
    people = [make_user() for _ in range(3)]
    for person in people:
        client = app.test_client()
        client.post("/auth/login", data={"email": person.email, "password": PASSWORD})
        client.post(f"/events/{event.id}/register")
    app.config["MAIL_BACKEND"] = "file"
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        unsent = db.session.scalar(
            sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))
        )
        assert unsent == 0
    subjects = {
        email.message_from_bytes(eml.read_bytes(), policy=policy.default)["Subject"]
        for eml in (tmp_path / "mail").glob("*.eml")
    }
    assert subjects == {"Ви зареєстровані: Вечір знайомств Частина 2"}


def test_a_coffee_round_of_people_with_long_names_goes_out(app, make_user):
    people = [make_user("Дуже " * 21 + f"Довге Ім'я {n}") for n in range(3)]
    with app.app_context():
        for person in people:
            db.session.add(CoffeeSubscription(user_id=person.id, format="online"))
        db.session.commit()
        report = coffee.run_coffee_round(utcnow())
        db.session.commit()
        assert report.groups == 1  # three people: one trio
        subjects = db.session.scalars(
            sa.select(OutboxMessage.subject).where(OutboxMessage.dedupe_key.like("coffee-intro%"))
        ).all()
        assert len(subjects) == 3 and all(len(s) <= 255 for s in subjects)
        assert all(s.endswith("…") for s in subjects)
