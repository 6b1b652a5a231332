"""Community random coffee: opt in, rounds that run themselves, one-click follow-ups."""

import html
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import CoffeeSubscription, MeetingMember, OutboxMessage, Round
from app.models.types import utcnow
from app.services import coffee
from tests.conftest import PASSWORD


def join(app, person, **settings):
    client = app.test_client()
    client.post("/auth/login", data={"email": person.email, "password": PASSWORD})
    data = {"frequency": "weekly", "format": "online", **settings}
    response = client.post("/coffee", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def run_round(app, now=None):
    with app.app_context():
        report = coffee.run_coffee_round(now or utcnow())
        db.session.commit()
        return report.round.id if report.round else None


def groups(app, round_id):
    with app.app_context():
        members = db.session.scalars(
            sa.select(MeetingMember).where(MeetingMember.round_id == round_id)
        ).all()
        by_meeting = {}
        for member in members:
            by_meeting.setdefault(member.meeting_id, []).append(member.user_id)
        return sorted(tuple(sorted(v)) for v in by_meeting.values())


@pytest.fixture
def members(make_user, make_sector):
    it, culture = make_sector("ІТ", "IT", "#2f6fde"), make_sector("Культура", "Culture", "#c2185b")
    return [
        make_user(
            f"Кавоман {n}",
            email=f"coffee{n}@example.org",
            sector_id=(it, culture)[n % 2].id,
            city="Київ",
        )
        for n in range(4)
    ]


def test_opt_in_settings_and_leave(app, members, database):
    client = join(app, members[0], frequency="monthly", format="in_person")
    page = client.get("/coffee").get_data(as_text=True)
    assert "Ви берете участь: раз на місяць, наживо, у моєму місті." in page
    with app.app_context():
        stored = db.session.get(CoffeeSubscription, members[0].id)
        assert (stored.active, stored.frequency, stored.format) == (True, "monthly", "in_person")
    client.post("/coffee/leave")
    with app.app_context():
        assert db.session.get(CoffeeSubscription, members[0].id).active is False


def test_a_pause_date_in_the_past_is_refused_and_kept(app, members):
    client = app.test_client()
    client.post("/auth/login", data={"email": members[0].email, "password": PASSWORD})
    yesterday = (date.today() - timedelta(days=2)).isoformat()
    page = client.post(
        "/coffee", data={"frequency": "weekly", "format": "online", "paused_until": yesterday}
    ).get_data(as_text=True)
    assert "Виберіть дату в майбутньому." in page and yesterday in page
    with app.app_context():
        assert db.session.get(CoffeeSubscription, members[0].id) is None


def test_a_round_pairs_everyone_and_introduces_them(app, members, database):
    for person in members:
        join(app, person)
    round_id = run_round(app)
    pairs = groups(app, round_id)
    assert sorted(p for g in pairs for p in g) == sorted(m.id for m in members)
    mails = database.all(OutboxMessage)
    intros = [m for m in mails if m.dedupe_key.startswith("coffee-intro")]
    followups = [m for m in mails if m.dedupe_key.startswith("coffee-followup")]
    assert len(intros) == 4 and len(followups) == 4
    intro = next(m for m in intros if m.to == members[0].email)
    [partner_id] = [p for g in pairs if members[0].id in g for p in g if p != members[0].id]
    partner = next(m for m in members if m.id == partner_id)
    assert partner.name in intro.text_body
    assert partner.email not in intro.text_body + intro.html_body  # nobody agreed to share it
    assert "після взаємної згоди" in intro.text_body
    assert "Чому саме ви:" in intro.text_body and "Перше запитання для розмови:" in intro.text_body
    assert "https://meet.jit.si/spilno-coffee-" in intro.text_body  # online: a video room
    later = [m.send_after - intro.send_after for m in followups]
    assert all(timedelta(days=4, hours=23) < gap <= timedelta(days=5, minutes=1) for gap in later)


def test_online_only_and_in_person_only_never_meet(app, members):
    join(app, members[0], format="online")
    join(app, members[1], format="in_person")
    join(app, members[2], format="online")
    join(app, members[3], format="in_person")
    pairs = groups(app, run_round(app))
    assert pairs == sorted(
        [
            tuple(sorted((members[0].id, members[2].id))),
            tuple(sorted((members[1].id, members[3].id))),
        ]
    )


def test_the_next_round_avoids_people_already_met(app, members):
    for person in members:
        join(app, person)
    first = set(groups(app, run_round(app)))
    second = set(groups(app, run_round(app, utcnow() + timedelta(days=7))))
    assert first.isdisjoint(second)


def test_frequency_decides_who_is_due(app, members):
    join(app, members[0])
    join(app, members[1])
    join(app, members[2], frequency="monthly")
    join(app, members[3], frequency="monthly")
    run_round(app)
    week_later = groups(app, run_round(app, utcnow() + timedelta(days=7)))
    assert {p for g in week_later for p in g} == {members[0].id, members[1].id}


def test_a_partner_sees_the_email_only_of_one_who_agreed_to_share_it(app, members, database):
    sharer, private = members[0], members[1]
    page = join(app, sharer, share_contact="y").get("/coffee").get_data(as_text=True)
    assert "Ваші пошта й контакт потрапляють до них, лише якщо ви це позначите" in page
    join(app, private)
    run_round(app)
    intros = {
        m.to: m for m in database.all(OutboxMessage) if m.dedupe_key.startswith("coffee-intro")
    }
    to_private, to_sharer = intros[private.email], intros[sharer.email]
    assert sharer.email in to_private.text_body and sharer.email in to_private.html_body
    assert private.email not in to_sharer.text_body + to_sharer.html_body
    assert "/meetings/" in to_sharer.text_body  # where the two can exchange contacts


def test_a_link_from_the_mail_only_chooses_the_answer_a_button_saves_it(app, members, database):
    for person in members[:2]:
        join(app, person)
    run_round(app)
    followup = next(
        m
        for m in database.all(OutboxMessage)
        if m.dedupe_key.startswith("coffee-followup") and m.to == members[0].email
    )
    links = [
        html.unescape(link)
        for link in re.findall(
            r'href="http://spilno\.test(/meetings/[^"]+met=\w+)"', followup.html_body
        )
    ]
    assert len(links) == 3 and "/meetings/" in followup.text_body  # text: the page itself
    scanner = app.test_client()  # a mail scanner opens every link, without cookies
    pages = [scanner.get(link).get_data(as_text=True) for link in links]
    [answer] = database.all(MeetingMember, MeetingMember.user_id == members[0].id)
    assert answer.met is None and answer.responded_at is None  # three prefetches saved nothing
    yes_link = next(link for link in links if link.endswith("met=yes"))
    page = pages[links.index(yes_link)]
    assert "Натисніть «Зберегти»" in page
    assert re.search(r'<input[^>]*checked[^>]*value="yes"|value="yes"[^>]*checked', page)
    token = re.search(r"token=([^&]+)", yes_link).group(1)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    saved = scanner.post(
        yes_link.split("?")[0],
        data={"token": token, "met": "yes", "csrf_token": csrf},
        csrf=False,
    )
    assert saved.status_code == 302
    [answer] = database.all(MeetingMember, MeetingMember.user_id == members[0].id)
    assert answer.met == "yes" and answer.responded_at is not None
    forged = re.sub(r"token=[^&]+", "token=forged", yes_link)
    assert scanner.get(forged).status_code == 404


def test_three_ignored_rounds_pause_the_member_and_say_why(app, members, database):
    join(app, members[0])
    join(app, members[1])
    for week in range(4):
        run_round(app, utcnow() + timedelta(days=7 * week))
    with app.app_context():
        assert db.session.get(CoffeeSubscription, members[0].id).active is False
    paused = [m for m in database.all(OutboxMessage) if m.dedupe_key.startswith("coffee-paused")]
    assert {m.to for m in paused} == {members[0].email, members[1].email}
    assert "3 раунди поспіль" in paused[0].text_body


def test_blocked_members_are_never_matched(app, members):
    clients = [join(app, person) for person in members]
    clients[0].post(f"/members/{members[1].id}/block")
    clients[0].post(f"/members/{members[3].id}/block")
    for week in range(3):
        pairs = groups(app, run_round(app, utcnow() + timedelta(days=7 * week)))
        for group in pairs:
            assert not {members[0].id, members[1].id} <= set(group)
            assert not {members[0].id, members[3].id} <= set(group)


def test_the_worker_runs_on_the_admins_weekday_only(app, members, runner):
    for person in members:
        join(app, person)
    today = utcnow()
    with app.app_context():
        coffee.set_coffee_weekday((today.weekday() + 1) % 7)
        db.session.commit()
        assert coffee.is_due(today) is False
        coffee.set_coffee_weekday(today.weekday())
        db.session.commit()
        assert coffee.is_due(today) is True
    app.config["MAIL_BACKEND"] = "memory"
    assert runner.invoke(args=["worker", "--once"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Round)) == 1
        assert coffee.is_due(today) is False  # once a day


def test_the_admin_page_shows_round_figures(app, client, auth, members, make_user):
    for person in members:
        join(app, person)
    round_id = run_round(app)
    with app.app_context():
        for member in db.session.scalars(
            sa.select(MeetingMember).where(MeetingMember.round_id == round_id)
        ):
            member.met, member.rating, member.responded_at = "yes", 4, utcnow()
        db.session.commit()
    auth.login(make_user(role="admin"))
    page = client.get("/admin/coffee").get_data(as_text=True)
    assert "100%" in page and "4.0" in page
    client.post("/admin/coffee", data={"weekday": "3"})
    with app.app_context():
        assert coffee.coffee_weekday() == 3


def test_coffee_run_command(app, members, runner):
    for person in members:
        join(app, person)
    result = runner.invoke(args=["coffee", "run"])
    assert result.exit_code == 0 and "2 meetings" in result.output
