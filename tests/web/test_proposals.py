"""Members propose events; hosts and admins decide; the proposer co-hosts what is approved."""

import sqlalchemy as sa

from app.extensions import db
from app.models import Event, OutboxMessage
from app.models.types import KYIV_ZONE, utcnow
from app.services import analytics
from app.services.analytics.events import event_figures
from tests.web.test_events import form_data


def test_a_proposal_is_approved_and_its_proposer_publishes_it_as_a_co_host(
    app, client, auth, make_user, database
):
    member = make_user("Ірина Коваль", email="iryna@example.org")
    host = make_user("Тарас Мельник", role="host")
    auth.login(member)
    sent = client.post("/events/propose", data=form_data(title="Прогулянка Подолом"))
    [event] = database.all(Event)
    assert sent.location == f"/events/{event.id}"
    assert (event.status, event.proposed_by_id, event.hosts) == ("proposed", member.id, [])
    client.post(f"/events/{event.id}/proposal", data=form_data(title="Прогулянка Подолом і кава"))
    assert database.get(Event, event.id).title == "Прогулянка Подолом і кава"
    assert "Прогулянка Подолом" not in client.get("/events/").get_data(as_text=True)

    auth.logout()
    auth.login(host)
    queue = client.get("/events/proposals").get_data(as_text=True)
    assert "Прогулянка Подолом і кава" in queue and "Ірина Коваль" in queue
    client.post(f"/events/{event.id}/proposal/approve")
    approved = database.get(Event, event.id)
    assert approved.status == "draft"
    assert sorted(h.id for h in approved.hosts) == sorted([member.id, host.id])
    # A second decision finds it decided.
    again = client.post(f"/events/{event.id}/proposal/decline", data={"reason": "Ні"})
    assert again.status_code == 302 and database.get(Event, event.id).status == "draft"

    # A host saving the draft keeps the member among its hosts.
    data = form_data(title="Прогулянка Подолом і кава", cohost_ids=[str(member.id), str(host.id)])
    client.post(f"/events/{event.id}/edit", data=data)
    assert member.id in [h.id for h in database.get(Event, event.id).hosts]

    auth.logout()
    auth.login(member)
    client.post(f"/events/{event.id}/publish")
    assert database.get(Event, event.id).status == "published"
    with app.app_context():
        [mail] = db.session.scalars(sa.select(OutboxMessage)).all()
        assert mail.to == "iryna@example.org" and "схвалили" in mail.text_body
    mine = client.get("/me/events").get_data(as_text=True)
    assert "Мої пропозиції" in mine and "опубліковано" in mine

    with app.app_context():
        day = approved.local_starts_at.date()
        period = analytics.period_between(day, day, KYIV_ZONE)
        assert event_figures(period, utcnow()).run_by_members == 1


def test_a_declined_proposal_says_why_and_the_reason_is_required(
    app, client, auth, make_user, database
):
    member = make_user("Ірина Коваль", email="iryna@example.org")
    auth.login(member)
    client.post("/events/propose", data=form_data(title="Лекція про бджіл"))
    [event] = database.all(Event)
    auth.logout()
    auth.login(make_user("Олена Адмін", role="admin"))
    page = client.post(f"/events/{event.id}/proposal/decline", data={"reason": ""})
    assert "Це поле є обов" in page.get_data(as_text=True)
    assert database.get(Event, event.id).status == "proposed"
    client.post(f"/events/{event.id}/proposal/decline", data={"reason": "Вже є схожа подія."})
    assert database.get(Event, event.id).status == "declined"
    with app.app_context():
        [mail] = db.session.scalars(sa.select(OutboxMessage)).all()
        assert "Вже є схожа подія." in mail.text_body
    auth.logout()
    auth.login(member)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Вже є схожа подія." in page
    assert client.get(f"/events/{event.id}/proposal").status_code == 403


def test_at_most_five_proposals_wait_at_once_and_the_sixth_keeps_what_was_typed(
    client, auth, make_user, database
):
    auth.login(make_user("Ірина Коваль"))
    for n in range(5):
        client.post("/events/propose", data=form_data(title=f"Ідея {n}"))
    page = client.post("/events/propose", data=form_data(title="Шоста ідея"))
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "5 пропозицій" in text and 'value="Шоста ідея"' in text
    assert database.count(Event) == 5


def test_others_do_not_see_a_proposal(client, auth, make_user, make_event):
    proposer = make_user("Ірина Коваль")
    event = make_event(status="proposed", proposed_by_id=proposer.id)
    auth.login(make_user("Хтось Інший"))
    assert client.get(f"/events/{event.id}").status_code == 404
    assert client.get(f"/events/{event.id}/proposal").status_code == 404
