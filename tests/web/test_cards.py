"""Printable cards, read back: text, pages, QR codes, fonts and crop marks."""

import io
import math
import re
from datetime import timedelta

import pypdfium2
import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from app.extensions import db
from app.models import CardJob, Event, Registration
from app.services import cards
from app.services.profiles import tags_named

NAMES = [
    "Олена Коваль",
    "Maryana Stefanyk",
    "Мар'яна О'Коннор",
    "Олександра-Вікторія Заболотна-Вишневська Іванівна з Полтави",  # 60 characters
    "<script>alert(1)</script>",
    "<img src=http://127.0.0.1:9/x.png> Тест",
]


@pytest.fixture
def printable(app, make_user, make_event, make_sector, auth):
    sector = make_sector()
    host = make_user("Друкарка", role="host")
    event = make_event(host=host, capacity=None)
    people = [make_user(name, sector_id=sector.id, organisation="Освіторія") for name in NAMES]
    tokens = {}
    with app.app_context():
        from app.models import User

        for person in people:
            user = db.session.get(User, person.id)
            user.interests = tags_named(["кіно", "освіта", "дизайн", "музика"])
            user.offers = tags_named(["менторство"])
            registration = Registration(event_id=event.id, user_id=person.id, status="confirmed")
            db.session.add(registration)
            db.session.flush()
            tokens[person.id] = registration.ticket_token
        db.session.commit()
    auth.login(host)
    return {"event": event, "people": people, "tokens": tokens, "host": host}


def pdf_of(client, url):
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "application/pdf", (
        response.status_code
    )
    return response.data


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def qr_codes(data: bytes) -> set[str]:
    found = set()
    document = pypdfium2.PdfDocument(data)
    for page in document:
        image = page.render(scale=4).to_pil()
        found.update(code.text for code in zxingcpp.read_barcodes(image))
    return found


def test_every_name_prints_readably_and_sorted(client, printable):
    text = text_of(pdf_of(client, f"/events/{printable['event'].id}/cards.pdf?layout=a4-8"))
    squashed = text.replace("- ", "-").replace(" ", "")
    for name in NAMES:
        assert name.replace(" ", "") in squashed, name
    # Sorted by name: Latin and punctuation first, then the Ukrainian alphabet.
    assert squashed.index("MaryanaStefanyk") < squashed.index("Мар'янаО'Коннор")
    assert squashed.index("Олександра") < squashed.index("ОленаКоваль")  # к before н


@pytest.mark.parametrize("layout", list(cards.LAYOUTS))
def test_page_count_follows_the_layout(client, printable, layout):
    data = pdf_of(client, f"/events/{printable['event'].id}/cards.pdf?layout={layout}")
    per_page = cards.LAYOUTS[layout].per_page
    assert len(PdfReader(io.BytesIO(data)).pages) == math.ceil(len(NAMES) / per_page)


def test_every_qr_code_opens_its_members_ticket(client, printable):
    data = pdf_of(client, f"/events/{printable['event'].id}/cards.pdf?layout=a4-4")
    expected = {f"http://spilno.test/t/{token}" for token in printable["tokens"].values()}
    assert qr_codes(data) == expected


def test_the_font_is_embedded(client, printable):
    reader = PdfReader(io.BytesIO(pdf_of(client, f"/events/{printable['event'].id}/cards.pdf")))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [
        fonts[key].get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for key in fonts
    ]
    assert descriptors and all(str(d["/FontFamily"]) == "Spilno Sans" for d in descriptors)
    assert all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)


def darkness_at(data: bytes, x_mm: float, y_mm: float) -> int:
    page = pypdfium2.PdfDocument(data)[0]
    scale = 4
    image = page.render(scale=scale).to_pil().convert("L")
    x, y = round(x_mm / 25.4 * 72 * scale), round(y_mm / 25.4 * 72 * scale)
    return 255 - min(image.getpixel((x + dx, y + dy)) for dx in range(-2, 3) for dy in range(-2, 3))


def test_crop_marks_only_when_asked(client, printable):
    layout = cards.LAYOUTS["label-90x54"]
    x, y = layout.cells()[0]
    mark = (x - 1.5, y)  # on the horizontal tick, left of the first label's corner
    url = f"/events/{printable['event'].id}/cards.pdf?layout=label-90x54"
    assert darkness_at(pdf_of(client, url + "&crop=1"), *mark) > 100
    assert darkness_at(pdf_of(client, url), *mark) < 20


def test_nothing_is_fetched_but_the_apps_own_fonts(client, printable, monkeypatch):
    fetched = []
    original = cards.SheetFetcher.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(cards.SheetFetcher, "fetch", recording)
    pdf_of(client, f"/events/{printable['event'].id}/cards.pdf?crop=1")
    fonts = [url for url in fetched if url.startswith("file:")]
    assert fonts and all(re.search(r"/static/fonts/DejaVuSans(-Bold)?\.ttf$", u) for u in fonts)
    others = [url for url in fetched if not url.startswith("file:")]
    qr_codes = [url for url in others if url.startswith("codes:")]
    crop_marks = [url for url in others if url.startswith("data:image/svg+xml,")]
    assert qr_codes == ["codes:0"]  # a4-8: the six cards' codes are one picture, one page
    assert len(crop_marks) == 1  # parsed once for all pages
    assert len(others) == len(qr_codes) + len(crop_marks)


def test_the_fetcher_refuses_anything_outside_static(app):
    from pathlib import Path

    links = [f"http://spilno.test/t/{letter}" for letter in "abcde"]
    sheet = cards.Sheet("", links, cards.LAYOUTS["a4-4"])  # two pages: four cards, then one
    fetcher = cards.SheetFetcher(Path(app.static_folder).resolve(), sheet)
    for url in (
        "http://127.0.0.1:9/x.png",
        "file:///etc/passwd",
        "https://example.org/a.css",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png;base64,iVBORw0KGgo=",  # the QR codes are drawn here, not handed in
        "codes:first",
        "codes:2",  # there is no third page
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    # What it does hand out: a page's codes, drawn from its cards' links.
    for page, expected in (("codes:0", links[:4]), ("codes:1", links[4:])):
        picture = Image.open(io.BytesIO(fetcher.fetch(page).read()))
        readable = picture.resize((picture.width * 4, picture.height * 4), Image.NEAREST)
        assert sorted(found.text for found in zxingcpp.read_barcodes(readable)) == expected


def test_a_member_prints_their_own_card(app, printable):
    member = printable["people"][0]
    own = app.test_client()
    own.post("/auth/login", data={"email": member.email, "password": "correct horse battery"})
    data = pdf_of(own, "/me/card.pdf")
    assert "Олена Коваль" in text_of(data)
    assert qr_codes(data) == {f"http://spilno.test/t/{printable['tokens'][member.id]}"}


@pytest.mark.parametrize("change", ["cancelled", "past"])
def test_a_members_card_never_carries_the_ticket_of_a_cancelled_or_past_event(
    app, printable, change
):
    member = printable["people"][0]
    with app.app_context():
        event = db.session.get(Event, printable["event"].id)
        if change == "cancelled":
            event.status = "cancelled"
        else:
            event.starts_at -= timedelta(days=30)
            event.ends_at = event.starts_at + timedelta(hours=2)
        db.session.commit()
    own = app.test_client()
    own.post("/auth/login", data={"email": member.email, "password": "correct horse battery"})
    data = pdf_of(own, "/me/card.pdf")
    assert "Олена Коваль" in text_of(data)
    assert qr_codes(data) == {f"http://spilno.test/members/{member.id}"}  # a profile, no ticket


@pytest.mark.parametrize("printers", [1, 2])
def test_big_sets_are_printed_by_the_worker(
    app, client, printable, monkeypatch, runner, tmp_path, printers
):
    monkeypatch.setattr(cards, "DIRECT_LIMIT", 3)
    monkeypatch.setattr(cards, "CHUNK", 4)  # a4-4: two chunks of one page each, then joined
    app.config["CARDS_DIR"] = str(tmp_path / "cards")
    app.config["CARD_PRINTERS"] = printers  # 2: the chunks print in two forked processes
    event_id = printable["event"].id
    response = client.get(f"/events/{event_id}/cards.pdf?layout=a4-4")
    assert response.status_code == 302 and "/cards" in response.location
    started = client.post(
        f"/events/{event_id}/cards/jobs", data={"layout": "a4-4", "who": "confirmed"}
    )
    job_url = started.location
    assert "Друкуємо карток: 6" in client.get(job_url).get_data(as_text=True)
    assert runner.invoke(args=["worker", "--once"]).exit_code == 0
    with app.app_context():
        job = db.session.scalar(sa.select(CardJob))
        assert (job.status, job.done, job.total) == ("ready", 6, 6)
    page = client.get(job_url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "100%" in page
    data = pdf_of(client, job_url + ".pdf")
    assert len(PdfReader(io.BytesIO(data)).pages) == 2
    squashed = text_of(data).replace("- ", "-").replace(" ", "")
    assert all(name.replace(" ", "") in squashed for name in NAMES)
    tickets = {f"http://spilno.test/t/{token}" for token in printable["tokens"].values()}
    assert qr_codes(data) == tickets


def test_a_bad_layout_is_refused(client, printable):
    assert client.get(f"/events/{printable['event'].id}/cards.pdf?layout=a3-99").status_code == 400


def test_card_sheets_use_only_the_elements_their_stylesheet_knows(app):
    from html.parser import HTMLParser

    from weasyprint import HTML

    # The hook CardSheet overrides must still be WeasyPrint's, or the saving silently goes.
    assert "_ua_stylesheets" in vars(HTML)
    assert cards.CardSheet(string="<p>x</p>")._ua_stylesheets() == [cards.CARD_UA_STYLESHEET]

    class Elements(HTMLParser):
        used = set()

        def handle_starttag(self, tag, attrs):
            self.used.add(tag)

    card = cards.Card(
        name="Олена Коваль", organisation="Освіторія", sector="Освіта", colour="#f2a900",
        interests=["кіно"], offers=["менторство"], event_title="Вечір", event_date="5 грудня",
        link="http://spilno.test/t/a", name_size=20,
    )  # fmt: skip
    with app.test_request_context():
        sheet = cards.sheet_of([card], cards.LAYOUTS["a4-8"], crop_marks=True, title="Вечір")
    elements = Elements()
    elements.feed(sheet.html)
    assert elements.used <= cards.CARD_ELEMENTS
    # With only those rules, each part of the card is still a block: a line of its own.
    page = PdfReader(io.BytesIO(cards.pdf_of_sheet(sheet, app.static_folder))).pages[0]
    assert [line.strip() for line in page.extract_text().splitlines()] == [
        "ОСВІТА",
        "Олена Коваль",
        "Освіторія",
        "Інтереси: кіно",
        "Запитайте мене про: менторство",
        "Вечір · 5 грудня",
    ]
