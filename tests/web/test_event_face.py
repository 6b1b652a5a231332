"""An event's cover picture and its English text."""

import io
import re

import pytest
from PIL import Image

from app.models import Event
from tests.pictures import sample_picture
from tests.web.test_events import form_data


@pytest.fixture
def host(make_user, auth):
    person = make_user("Тарас Мельник", role="host")
    auth.login(person)
    return person


def upload(content=None, name="cover.jpg"):
    return (io.BytesIO(content if content is not None else sample_picture(format="JPEG")), name)


def test_a_cover_is_shown_on_the_page_in_lists_and_in_a_shared_link(client, host, database):
    client.post("/events/new", data={**form_data(), "cover": upload()})
    [event] = database.all(Event)
    assert event.cover.startswith("cover-")
    client.post(f"/events/{event.id}/publish")
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    og_image = re.search(r'<meta property="og:image" content="([^"]+)"', page).group(1)
    assert og_image == f"http://spilno.test/pictures/{event.cover}/wide"
    assert '<meta property="og:title" content="Освіта × IT: вечір знайомств">' in page
    assert f'src="/pictures/{event.cover}/wide"' in page
    assert f'src="/pictures/{event.cover}/card"' in client.get("/events/").get_data(as_text=True)
    picture = client.get(f"/pictures/{event.cover}/wide")
    assert picture.mimetype == "image/jpeg" and "immutable" in picture.headers["Cache-Control"]
    assert Image.open(io.BytesIO(picture.data)).size == (1200, 630)


def test_a_file_that_is_not_a_picture_is_refused_and_the_form_keeps_the_rest(
    client, host, database
):
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    response = client.post("/events/new", data={**form_data(), "cover": upload(svg, "a.svg")})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Цей файл не схожий на картинку" in page or "JPEG, PNG або WebP" in page
    assert 'value="Освіта × IT: вечір знайомств"' in page
    assert database.count(Event) == 0


def test_a_cover_can_be_replaced_and_removed(client, host, database, make_event):
    event = make_event(host=host)
    data = form_data(title=event.title)
    client.post(f"/events/{event.id}/edit", data={**data, "cover": upload()})
    first = database.get(Event, event.id).cover
    assert first
    client.post(f"/events/{event.id}/edit", data={**data, "remove_cover": "y"})
    assert database.get(Event, event.id).cover == ""


def test_an_oversized_request_gets_a_clear_page(client, host):
    # What the browser announces is enough: the body is refused before it is read.
    response = client.post(
        "/events/new",
        data=b"--x--",
        content_type="multipart/form-data; boundary=x",
        environ_overrides={"CONTENT_LENGTH": str(12 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "10 МБ" in response.get_data(as_text=True)


def test_each_reader_sees_their_language_and_else_the_other(client, host, database, auth):
    client.post(
        "/events/new",
        data={
            **form_data(),
            "title_en": "Education × IT: a networking evening",
            "description_en": "Come and **meet**.",
        },
    )
    [event] = database.all(Event)
    client.post(f"/events/{event.id}/publish")
    ukrainian = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Освіта × IT: вечір знайомств" in ukrainian and "<strong>Приходьте</strong>" in ukrainian
    client.post("/lang", data={"lang": "en", "next": "/"})
    english = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Education × IT: a networking evening" in english
    assert "<strong>meet</strong>" in english and "Приходьте" not in english
    # An event given in Ukrainian only is shown in Ukrainian to an English reader.
    client.post(f"/events/{event.id}/edit", data=form_data())
    assert "Освіта × IT" in client.get(f"/events/{event.id}").get_data(as_text=True)
