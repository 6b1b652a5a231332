"""The team's private notes about members: kept, edited by their author, never shown to other
members, and in the member's own data export."""

import json

from app.models import Note


def test_a_host_keeps_a_note_only_the_team_sees_and_the_member_exports(
    client, auth, make_user, database
):
    host = make_user("Тарас Мельник", role="host")
    other_host = make_user("Ірина Ведуча", role="host")
    member = make_user("Марта Коваль")
    peer = make_user("Богдан Мороз")
    auth.login(host)
    client.post(f"/members/{member.id}/notes", data={"text": "Шукає партнерів для школи."})
    [note] = database.all(Note)
    assert (note.about_id, note.author_id) == (member.id, host.id)
    assert "Шукає партнерів для школи." in client.get(f"/members/{member.id}").get_data(
        as_text=True
    )

    too_long = client.post(f"/members/{member.id}/notes", data={"text": "x" * 2001})
    page = too_long.get_data(as_text=True)
    assert too_long.status_code == 200 and "2000" in page and "x" * 50 in page
    assert database.count(Note) == 1

    client.post(f"/members/notes/{note.id}", data={"text": "Шукає партнерів для школи в Ірпені."})
    edited = database.get(Note, note.id)
    assert edited.text.endswith("в Ірпені.") and edited.edited_at is not None

    # Another host reads it, but cannot change or remove it.
    auth.logout()
    auth.login(other_host)
    assert "в Ірпені." in client.get(f"/members/{member.id}").get_data(as_text=True)
    page = client.post(f"/members/notes/{note.id}/delete", follow_redirects=True).get_data(
        as_text=True
    )
    assert "Лише автор може змінити" in page and database.count(Note) == 1

    # No member sees it: not a peer, not the member on their page; the member's export has it.
    for person in (peer, member):
        auth.logout()
        auth.login(person)
        assert "в Ірпені." not in client.get(f"/members/{member.id}").get_data(as_text=True)
        assert client.post(f"/members/{member.id}/notes", data={"text": "Ха"}).status_code == 403
    exported = json.loads(client.get("/me/export").get_data(as_text=True))
    [about_me] = exported["notes_about_me"]
    assert about_me["text"].endswith("в Ірпені.") and about_me["by"] == "Тарас Мельник"

    auth.logout()
    auth.login(host)
    client.post(f"/members/notes/{note.id}/delete")
    assert database.count(Note) == 0
