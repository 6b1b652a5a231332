"""What a mail carries in its headers, read back by Python's parser after a real SMTP server."""

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from app.extensions import db
from app.models import OutboxMessage
from app.services.mail import SMTPTransport, build_email, deliver_due_messages, queue_email
from app.services.text import header_text
from tests.smtp import Inbox, free_port

SUBJECTS = [
    "Ви в списку очікування: Тест: «Дуже довга назва події — з лапками» і ще трохи тексту",
    'Нагадування: "Нетворкінг-вечір" — освіта, ІТ і культура: зустріч у Львові о 19:00',
    "Коротка: тема",
    "A plain English subject: long enough to be folded over more than one line, surely",
]


def queue_with_subject(user, subject):
    message = queue_email(
        user.email, "password_reset", locale="uk", user=user, link="http://x/", minutes=60
    )
    message.subject = subject
    db.session.commit()
    return message


@pytest.fixture
def inbox():
    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


def test_long_ukrainian_subjects_keep_every_space(app_ctx, make_user, inbox):
    for subject in SUBJECTS:
        queue_with_subject(make_user(), subject)
    deliver_due_messages(SMTPTransport("127.0.0.1", inbox.port))
    assert sorted(m["Subject"] for m in inbox.messages) == sorted(SUBJECTS)


def test_every_mail_has_a_date_and_a_message_id_on_the_public_domain(app_ctx, make_user, inbox):
    message = queue_with_subject(make_user(), "Тема")
    first = build_email(message, "Спільно <noreply@spilno.test>")
    deliver_due_messages(SMTPTransport("127.0.0.1", inbox.port))
    [received] = inbox.messages
    assert received["Date"].datetime is not None
    assert received["Message-ID"].endswith("@spilno.test>")
    # A second attempt (a worker killed after sending) carries the same Message-ID.
    assert first["Message-ID"] == received["Message-ID"]
    assert build_email(message, "x@y.z")["Message-ID"] == received["Message-ID"]


@pytest.mark.parametrize("poison", ["\v", "\u2028", "\u2029", "\x1c", "\r\n", "\x85"])
def test_a_line_break_in_a_subject_never_reaches_the_header(app_ctx, make_user, inbox, poison):
    queue_with_subject(make_user(), f"Зустріч{poison}Bcc: victim@example.org")
    report = deliver_due_messages(SMTPTransport("127.0.0.1", inbox.port))
    assert report.sent == 1
    [received] = inbox.messages
    assert received["Subject"] == "Зустріч Bcc: victim@example.org"
    assert received["Bcc"] is None


def test_a_subject_longer_than_the_column_is_cut_on_a_word():
    long = " ".join(["Назва"] * 80)
    cut = header_text(long, 255)
    assert len(cut) <= 255 and cut.endswith("Назва…") and "  " not in cut
    assert header_text("Коротка\vтема", 255) == "Коротка тема"


class RefusingInbox(Inbox):
    """Refuses one address for good (550) and one for now (451), takes the rest."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("gone"):
            return "550 5.1.1 No such user"
        if address.startswith("later"):
            return "451 4.2.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_refused_address_is_given_up_and_never_holds_back_the_queue(app_ctx, make_user):
    inbox, port = RefusingInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        users = [make_user(email="gone@example.org"), make_user(email="later@example.org")]
        users += [make_user(email=f"good{n}@example.org") for n in range(20)]
        for user in users:
            queue_with_subject(user, "Тема")
        report = deliver_due_messages(SMTPTransport("127.0.0.1", port))
    finally:
        controller.stop()
    assert (report.sent, report.failed, report.given_up) == (20, 1, 1)
    assert len(inbox.messages) == 20
    gone = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to == "gone@example.org"))
    later = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.to == "later@example.org")
    )
    assert gone.failed_at is not None and "550" in gone.last_error
    assert later.failed_at is None and later.sent_at is None and "451" in later.last_error
