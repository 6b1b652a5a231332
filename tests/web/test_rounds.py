"""Live rounds at an event: the host drafts and publishes; each attendee sees their partner."""

from itertools import combinations

import pytest
import sqlalchemy as sa

from app.extensions import db
from app.models import Meeting, MeetingMember, Registration, Round
from app.models.types import utcnow
from tests.conftest import PASSWORD

HTMX = {"HX-Request": "true"}


@pytest.fixture
def evening(app, make_user, make_event, make_sector, auth):
    """Six checked-in attendees from two sectors, and their host logged in."""
    it, edu = make_sector("ІТ", "IT", "#2f6fde"), make_sector("Освіта", "Education", "#f2a900")
    host = make_user("Ведучий Вечора", role="host")
    event = make_event(host=host, capacity=None)
    people = [
        make_user(
            f"Гість {n}",
            email=f"guest{n}@example.org",
            sector_id=(it, edu)[n % 2].id,
            contact=f"@guest{n}",
        )
        for n in range(6)
    ]
    with app.app_context():
        for person in people:
            db.session.add(
                Registration(
                    event_id=event.id, user_id=person.id, status="confirmed", checked_in_at=utcnow()
                )
            )
        db.session.commit()
    auth.login(host)
    return {"event": event, "host": host, "people": people}


def groups_of(app, event_id, number):
    with app.app_context():
        round_ = db.session.scalar(
            sa.select(Round).where(Round.event_id == event_id, Round.number == number)
        )
        return sorted(
            tuple(sorted(m.user_id for m in meeting.members)) for meeting in round_.meetings
        ), round_.status


def attendee(app, person):
    client = app.test_client()
    client.post("/auth/login", data={"email": person.email, "password": PASSWORD})
    return client


def partner_of(groups, person_id):
    group = next(g for g in groups if person_id in g)
    return [p for p in group if p != person_id]


def test_draft_publish_and_each_attendee_sees_their_partner(app, client, evening):
    event, people = evening["event"], evening["people"]
    response = client.post(f"/events/{event.id}/rounds/draft", data={"minutes": "5"})
    assert response.location == f"/events/{event.id}/rounds"
    groups, status = groups_of(app, event.id, 1)
    assert status == "draft" and len(groups) == 3
    assert sorted(p for g in groups for p in g) == sorted(p.id for p in people)
    console = client.get(f"/events/{event.id}/rounds").get_data(as_text=True)
    assert "Чернетка: раунд 1" in console and "ви працюєте в різних секторах" in console

    guest = attendee(app, people[0])
    waiting = guest.get(f"/events/{event.id}/live").get_data(as_text=True)
    assert "Наступний раунд скоро почнеться" in waiting  # a draft is invisible

    with app.app_context():
        round_id = db.session.scalar(sa.select(Round.id).where(Round.event_id == event.id))
    client.post(f"/events/{event.id}/rounds/{round_id}/publish")
    panel = guest.get(f"/events/{event.id}/live", headers=HTMX).get_data(as_text=True)
    assert panel.lstrip().startswith('<section id="live-panel"')
    [partner_id] = partner_of(groups, people[0].id)
    partner = next(p for p in people if p.id == partner_id)
    assert partner.name in panel and "Стіл " in panel and "Чому саме ви:" in panel
    screen = client.get(f"/events/{event.id}/rounds/1/screen").get_data(as_text=True)
    assert all(p.name in screen for p in people)


def publish_round(app, client, event_id, number):
    client.post(f"/events/{event_id}/rounds/draft", data={"minutes": "5"})
    with app.app_context():
        round_id = db.session.scalar(
            sa.select(Round.id).where(Round.event_id == event_id, Round.number == number)
        )
    client.post(f"/events/{event_id}/rounds/{round_id}/publish")
    return groups_of(app, event_id, number)[0]


def test_later_rounds_have_no_repeats(app, client, evening):
    event = evening["event"]
    seen = set()
    for number in (1, 2, 3):
        for group in publish_round(app, client, event.id, number):
            for pair in combinations(group, 2):
                assert pair not in seen
                seen.add(pair)
        _, status = groups_of(app, event.id, number)
        assert status == "published"
    assert groups_of(app, event.id, 1)[1] == "closed"  # publishing the next closes the last


def test_people_who_left_are_not_paired_and_late_arrivals_join(app, client, evening, make_user):
    event, people = evening["event"], evening["people"]
    with app.app_context():
        leaving = db.session.scalar(
            sa.select(Registration).where(Registration.user_id == people[0].id)
        )
        leaving_id = leaving.id
    client.post(f"/events/{event.id}/rounds/present/{leaving_id}", data={"left": "yes"})
    late = make_user("Пізній Гість")
    with app.app_context():
        db.session.add(
            Registration(
                event_id=event.id, user_id=late.id, status="confirmed", checked_in_at=utcnow()
            )
        )
        db.session.commit()
    groups = publish_round(app, client, event.id, 1)
    placed = {p for g in groups for p in g}
    assert people[0].id not in placed and late.id in placed
    assert len(placed) == 6 and len(groups) == 3


def test_an_odd_number_makes_one_trio(app, client, evening):
    event, people = evening["event"], evening["people"]
    with app.app_context():
        reg = db.session.scalar(sa.select(Registration).where(Registration.user_id == people[5].id))
        reg_id = reg.id
    client.post(f"/events/{event.id}/rounds/present/{reg_id}", data={"left": "yes"})
    groups = publish_round(app, client, event.id, 1)
    assert sorted(len(g) for g in groups) == [2, 3]


def test_swap_and_pin_survive_a_redraft(app, client, evening):
    event = evening["event"]
    client.post(f"/events/{event.id}/rounds/draft", data={"minutes": "5"})
    groups, _ = groups_of(app, event.id, 1)
    first, second = groups[0][0], groups[1][0]
    with app.app_context():
        round_id = db.session.scalar(sa.select(Round.id).where(Round.event_id == event.id))
    client.post(
        f"/events/{event.id}/rounds/{round_id}/swap", data={"first": first, "second": second}
    )
    swapped, _ = groups_of(app, event.id, 1)
    assert tuple(sorted((second, groups[0][1]))) in swapped
    assert tuple(sorted((first, groups[1][1]))) in swapped
    client.post(f"/events/{event.id}/rounds/draft", data={"minutes": "5"})  # redraft
    redrafted, _ = groups_of(app, event.id, 1)
    assert tuple(sorted((second, groups[0][1]))) in redrafted  # the host's choice stays


def test_a_swapped_pair_keeps_its_real_reasons_and_an_empty_swap_is_explained(app, client, evening):
    event, people = evening["event"], evening["people"]
    client.post(f"/events/{event.id}/rounds/draft", data={"minutes": "5"})
    groups, _ = groups_of(app, event.id, 1)
    with app.app_context():
        round_id = db.session.scalar(sa.select(Round.id).where(Round.event_id == event.id))
    # Guests alternate between two sectors: a swap that mixes them keeps saying so.
    sector_of = {p.id: n % 2 for n, p in enumerate(people)}
    first = groups[0][0]
    second = next(g[0] if sector_of[g[0]] != sector_of[groups[0][1]] else g[1] for g in groups[1:])
    client.post(
        f"/events/{event.id}/rounds/{round_id}/swap", data={"first": first, "second": second}
    )
    with app.app_context():
        meeting = db.session.scalar(
            sa.select(Meeting).join(MeetingMember).where(MeetingMember.user_id == second)
        )
        assert meeting.reasons[0] == "chosen_by_host"
        assert "different_sectors" in meeting.reasons
    console = client.get(f"/events/{event.id}/rounds").text
    assert "організатори поставили вас разом; ви працюєте в різних секторах" in console
    refused = client.post(
        f"/events/{event.id}/rounds/{round_id}/swap",
        data={"first": "", "second": ""},
        follow_redirects=True,
    ).text
    assert refused.count("Виберіть двох людей з різних столів, щоб поміняти їх.") == 1


def test_a_one_tap_answer_leaves_no_banner_on_the_live_page(app, client, evening):
    event, people = evening["event"], evening["people"]
    publish_round(app, client, event.id, 1)
    guest = attendee(app, people[0])
    with app.app_context():
        meeting_id = db.session.scalar(
            sa.select(MeetingMember.meeting_id).where(MeetingMember.user_id == people[0].id)
        )
    page = guest.post(
        f"/meetings/{meeting_id}/feedback",
        data={"met": "yes", "next": f"/events/{event.id}/live"},
        follow_redirects=True,
    ).text
    assert "Дякуємо! Вашу відповідь збережено." not in page
    assert 'class="btn btn-sm btn-dark" type="submit">Ми зустрілися<' in page  # shown pressed


def test_contacts_show_only_when_both_want_to_stay_in_touch(app, client, evening):
    event, people = evening["event"], evening["people"]
    groups = publish_round(app, client, event.id, 1)
    me = people[0]
    [partner_id] = partner_of(groups, me.id)
    partner = next(p for p in people if p.id == partner_id)
    with app.app_context():
        meeting_id = db.session.scalar(
            sa.select(MeetingMember.meeting_id).where(MeetingMember.user_id == me.id)
        )
    mine, theirs = attendee(app, me), attendee(app, partner)
    mine.post(
        f"/meetings/{meeting_id}/feedback",
        data={"met": "yes", "contact": "1", "wants_contact": "y"},
    )
    page = mine.get(f"/events/{event.id}/live").get_data(as_text=True)
    assert partner.email not in page  # only one of them said yes
    theirs.post(f"/meetings/{meeting_id}/feedback", data={"contact": "1", "wants_contact": "y"})
    page = mine.get(f"/events/{event.id}/live").get_data(as_text=True)
    assert partner.email in page and f"@guest{people.index(partner)}" in page
    assert partner.email in mine.get("/coffee").get_data(as_text=True)  # My connections
    with app.app_context():
        stored = db.session.get(MeetingMember, (meeting_id, me.id))
        assert (stored.met, stored.wants_contact) == ("yes", True)


def test_a_one_tap_answer_keeps_the_other_answers(app, client, evening):
    event, people = evening["event"], evening["people"]
    publish_round(app, client, event.id, 1)
    with app.app_context():
        meeting_id = db.session.scalar(
            sa.select(MeetingMember.meeting_id).where(MeetingMember.user_id == people[0].id)
        )
    guest = attendee(app, people[0])
    guest.post(f"/meetings/{meeting_id}/feedback", data={"contact": "1", "wants_contact": "y"})
    guest.post(f"/meetings/{meeting_id}/feedback", data={"met": "no"})
    with app.app_context():
        stored = db.session.get(MeetingMember, (meeting_id, people[0].id))
        assert (stored.met, stored.wants_contact) == ("no", True)


def test_someone_blocked_is_never_a_partner(app, client, evening):
    event, people = evening["event"], evening["people"]
    blocker = attendee(app, people[0])
    for other in people[1:5]:  # blocks all but one: they must meet that one, every round
        blocker.post(f"/members/{other.id}/block")
    for number in (1, 2):
        groups = publish_round(app, client, event.id, number)
        assert partner_of(groups, people[0].id) == [people[5].id]


def test_strangers_cannot_run_or_watch_the_rounds(app, evening, make_user):
    event = evening["event"]
    stranger = attendee(app, make_user("Сторонній"))
    assert stranger.get(f"/events/{event.id}/rounds").status_code == 403
    assert stranger.post(f"/events/{event.id}/rounds/draft").status_code == 403
    assert stranger.get(f"/events/{event.id}/live").status_code == 403


def test_fewer_than_two_people_get_a_clear_message(app, client, make_event, make_user, auth):
    host = make_user(role="host")
    event = make_event(host=host)
    auth.login(host)
    page = client.post(f"/events/{event.id}/rounds/draft", follow_redirects=True)
    assert "Для раунду потрібні щонайменше двоє" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def poll(client, event_id, etag=None):
    headers = {**HTMX, **({"If-None-Match": etag} if etag else {})}
    return client.get(f"/events/{event_id}/live", headers=headers)


def test_an_unchanged_panel_is_a_304_from_two_statements(app, client, evening, statements_of):
    event, people = evening["event"], evening["people"]
    publish_round(app, client, event.id, 1)
    guest = attendee(app, people[0])
    first = poll(guest, event.id)
    assert first.status_code == 200 and first.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"]
    again, statements = statements_of(lambda: poll(guest, event.id, first.headers["ETag"]))
    assert again.status_code == 304 and again.data == b""
    assert len(statements) <= 2, statements  # the member (Flask-Login), the panel's version


def test_the_panel_changes_when_the_round_or_an_answer_does(app, client, evening):
    event, people = evening["event"], evening["people"]
    guest = attendee(app, people[0])
    waiting = poll(guest, event.id)
    assert "Наступний раунд скоро почнеться" in waiting.text
    groups = publish_round(app, client, event.id, 1)
    now = poll(guest, event.id, waiting.headers["ETag"])
    [partner_id] = partner_of(groups, people[0].id)
    partner = next(p for p in people if p.id == partner_id)
    assert now.status_code == 200 and partner.name in now.text  # within one poll
    # The partner says "stay in touch": the panel must be drawn again.
    with app.app_context():
        meeting_id = db.session.scalar(
            sa.select(MeetingMember.meeting_id).where(MeetingMember.user_id == partner_id)
        )
    attendee(app, partner).post(
        f"/meetings/{meeting_id}/feedback", data={"wants_contact": "y", "contact": "1"}
    )
    after = poll(guest, event.id, now.headers["ETag"])
    assert after.status_code == 200 and after.headers["ETag"] != now.headers["ETag"]
    # Another language is another panel.
    guest.post("/lang", data={"lang": "en"})
    assert poll(guest, event.id, after.headers["ETag"]).status_code == 200


def seen_round(client, event_id, body):
    """What the phone's panel tells the tiny poll it shows, as htmx sends it."""
    url = body.split('hx-get="', 2)[2].split('"', 1)[0].replace("&amp;", "&")
    assert url.startswith(f"/events/{event_id}/live/round?seen=")
    return client.get(url, headers=HTMX)


def test_every_phone_asks_one_statement_whether_the_round_changed(
    app, client, evening, statements_of
):
    event, people = evening["event"], evening["people"]
    guest = attendee(app, people[0])
    waiting = poll(guest, event.id)
    unchanged, statements = statements_of(lambda: seen_round(guest, event.id, waiting.text))
    assert unchanged.status_code == 204 and "HX-Trigger" not in unchanged.headers
    assert len(statements) == 1, statements  # no sign-in is loaded: only the round
    assert unchanged.headers["Cache-Control"] == "no-store"

    publish_round(app, client, event.id, 1)
    changed = seen_round(guest, event.id, waiting.text)
    assert changed.status_code == 200 and changed.headers["HX-Trigger"] == "live-changed"
    # The panel the trigger fetches shows the partner, and tells the new round.
    now = poll(guest, event.id, waiting.headers["ETag"])
    assert now.status_code == 200 and 'data-round="1"' in now.text
    assert seen_round(guest, event.id, now.text).status_code == 204
    # Anyone may ask about a published event, and only about one.
    assert seen_round(app.test_client(), event.id, now.text).status_code == 204
    assert client.get(f"/events/{event.id}/live/round?seen=%00").status_code == 400
    assert client.get("/events/999999/live/round").status_code == 404


def test_a_draft_event_has_no_round_to_ask_about(app, make_user, make_event):
    event = make_event(host=make_user(role="host"), status="draft")
    assert app.test_client().get(f"/events/{event.id}/live/round").status_code == 404


def test_an_event_with_a_large_id_drafts_a_round(app, client, make_user, make_event, auth):
    host = make_user("Ведучий", role="host")
    event = make_event(host=host, id=300_000, capacity=None)  # the 300,000th event
    with app.app_context():
        for n in range(4):
            person = make_user(f"Гість {n}")
            db.session.add(
                Registration(
                    event_id=event.id, user_id=person.id, status="confirmed", checked_in_at=utcnow()
                )
            )
        db.session.commit()
    auth.login(host)
    response = client.post(f"/events/{event.id}/rounds/draft", data={"minutes": "5"})
    assert response.status_code == 302
    groups, status = groups_of(app, event.id, 1)
    assert status == "draft" and len(groups) == 2


def test_a_compressed_panel_is_still_a_304_when_unchanged(app, client, evening):
    event, people = evening["event"], evening["people"]
    publish_round(app, client, event.id, 1)
    guest = attendee(app, people[0])
    packed = {**HTMX, "Accept-Encoding": "br"}
    first = guest.get(f"/events/{event.id}/live", headers=packed)
    assert first.headers["Content-Encoding"] == "br" and first.headers["ETag"].startswith('W/"')
    again = guest.get(
        f"/events/{event.id}/live", headers={**packed, "If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
