"""Printable cards, read back: text, pages, QR codes, fonts and crop marks."""

import io
import math
import re
import subprocess
from datetime import timedelta

import pytest
import sqlalchemy as sa
from pypdf import PdfReader

from app.extensions import db
from app.models import CardJob, Event, Registration
from app.services import cards, community, printing
from app.services.profiles import tags_named
from tests.pictures import sample_picture

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
    with client.get(url) as response:  # closed: a PDF sent from a file holds it open till then
        assert response.status_code == 200 and response.mimetype == "application/pdf", (
            response.status_code
        )
        return response.data


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def qr_codes(data: bytes, tmp_path) -> list[str]:
    """What zbar reads from the pages as poppler draws them at 150 dpi, an office printer's
    resolution: a code that only one renderer draws sharply fails here."""
    (tmp_path / "cards.pdf").write_bytes(data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-gray", "-png", "cards.pdf", "page"], cwd=tmp_path, check=True
    )
    pages = sorted(str(page) for page in tmp_path.glob("page*.png"))
    zbar = ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", *pages]
    read = subprocess.run(zbar, capture_output=True, text=True)
    assert read.returncode in (0, 4), read.stderr  # 4: no code on any page
    return sorted(read.stdout.splitlines())


def test_every_name_prints_readably_and_sorted(client, printable):
    text = text_of(pdf_of(client, f"/events/{printable['event'].id}/cards.pdf?layout=a4-8"))
    squashed = text.replace("- ", "-").replace(" ", "")
    for name in NAMES:
        assert name.replace(" ", "") in squashed, name
    # Sorted by name: Latin and punctuation first, then the Ukrainian alphabet.
    assert squashed.index("MaryanaStefanyk") < squashed.index("Мар'янаО'Коннор")
    assert squashed.index("Олександра") < squashed.index("ОленаКоваль")  # к before н


@pytest.mark.parametrize("layout", list(cards.LAYOUTS))
def test_every_layout_prints_its_pages_and_every_code_opens_its_members_ticket(
    client, printable, layout, tmp_path
):
    data = pdf_of(client, f"/events/{printable['event'].id}/cards.pdf?layout={layout}")
    per_page = cards.LAYOUTS[layout].per_page
    assert len(PdfReader(io.BytesIO(data)).pages) == math.ceil(len(NAMES) / per_page)
    tickets = sorted(f"http://spilno.test/t/{token}" for token in printable["tokens"].values())
    assert qr_codes(data, tmp_path) == tickets


def test_a_qr_code_is_one_vector_path(app):
    card = cards.Card(
        name="Олена", organisation="", sector="", colour="#8a94a6", interests=[], offers=[],
        event_title="", event_date="", link="http://spilno.test/t/abc", name_size=20,
    )  # fmt: skip
    svg = str(card.qr_code)
    assert svg.startswith("<svg") and svg.count("<path") == 1 and "<image" not in svg


def test_the_font_is_embedded(client, printable):
    reader = PdfReader(io.BytesIO(pdf_of(client, f"/events/{printable['event'].id}/cards.pdf")))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [
        fonts[key].get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for key in fonts
    ]
    assert descriptors and all(str(d["/FontFamily"]) == "Spilno Sans" for d in descriptors)
    assert all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)


def darkness_at(data: bytes, x_mm: float, y_mm: float, tmp_path) -> int:
    """How dark the first page is around a point, drawn by poppler at 288 dpi as grey PGM."""
    (tmp_path / "sheet.pdf").write_bytes(data)
    dpi = 288
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-gray", "-f", "1", "-l", "1", "-singlefile", "sheet.pdf",
         "sheet"], cwd=tmp_path, check=True,
    )  # fmt: skip
    header, pixels = _pgm(tmp_path / "sheet.pgm")
    width = header[0]
    x, y = round(x_mm / 25.4 * dpi), round(y_mm / 25.4 * dpi)
    around = [pixels[(y + dy) * width + x + dx] for dx in range(-2, 3) for dy in range(-2, 3)]
    return 255 - min(around)


def _pgm(path) -> tuple[tuple[int, int], bytes]:
    """A binary PGM: magic, width, height and the largest value, then a byte a pixel."""
    data = path.read_bytes()
    magic, width, height, _most, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return (int(width), int(height)), pixels


def test_crop_marks_only_when_asked(client, printable, tmp_path):
    layout = cards.LAYOUTS["label-90x54"]
    x, y = layout.cells()[0]
    mark = (x - 1.5, y)  # on the horizontal tick, left of the first label's corner
    url = f"/events/{printable['event'].id}/cards.pdf?layout=label-90x54"
    assert darkness_at(pdf_of(client, url + "&crop=1"), *mark, tmp_path) > 100
    assert darkness_at(pdf_of(client, url), *mark, tmp_path) < 20


def test_nothing_is_fetched_but_the_apps_own_fonts(client, printable, monkeypatch):
    fetched = []
    original = printing.StaticOnly.fetch

    def recording(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(printing.StaticOnly, "fetch", recording)
    pdf_of(client, f"/events/{printable['event'].id}/cards.pdf?crop=1")
    fonts = [url for url in fetched if url.startswith("file:")]
    assert fonts and all(re.search(r"/static/fonts/DejaVuSans(-Bold)?\.ttf$", u) for u in fonts)
    others = [url for url in fetched if not url.startswith("file:")]
    assert len(others) == 1 and others[0].startswith("data:image/svg+xml,")  # the crop marks


def test_the_fetcher_refuses_anything_outside_static(app):
    from pathlib import Path

    static = Path(app.static_folder).resolve()
    fetcher = printing.StaticOnly(static)
    for url in (
        "http://127.0.0.1:9/x.png",
        "file:///etc/passwd",
        (static / ".." / "config.py").as_uri(),
        "https://example.org/a.css",
        "data:text/html;base64,PHNjcmlwdD4=",
        "data:image/png;base64,iVBORw0KGgo=",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    font = fetcher.fetch((static / "fonts" / "DejaVuSans.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"  # a TrueType font


def test_a_member_prints_their_own_card(app, printable, tmp_path):
    member = printable["people"][0]
    own = app.test_client()
    own.post("/auth/login", data={"email": member.email, "password": "correct horse battery"})
    data = pdf_of(own, "/me/card.pdf")
    assert "Олена Коваль" in text_of(data)
    assert qr_codes(data, tmp_path) == [f"http://spilno.test/t/{printable['tokens'][member.id]}"]


@pytest.mark.parametrize("change", ["cancelled", "past"])
def test_a_members_card_never_carries_the_ticket_of_a_cancelled_or_past_event(
    app, printable, change, tmp_path
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
    assert qr_codes(data, tmp_path) == [f"http://spilno.test/members/{member.id}"]  # no ticket


@pytest.mark.parametrize("printers", [1, 2])
def test_big_sets_are_printed_by_the_worker(
    app, client, printable, monkeypatch, runner, tmp_path, printers
):
    monkeypatch.setattr(cards, "DIRECT_LIMIT", 3)
    monkeypatch.setattr(printing, "CHUNK", 4)  # a4-4: two chunks of one page each, then joined
    app.config["CARDS_DIR"] = str(tmp_path / "cards")
    app.config["CARD_PRINTERS"] = printers  # 2: the chunks print in two forked processes
    event_id = printable["event"].id
    # A big set sends the host back to start it in the background, with the choices kept and
    # nothing else from the link (an `event_id` in it must not reach url_for).
    response = client.get(f"/events/{event_id}/cards.pdf?layout=a4-4&crop=y&event_id=1")
    assert response.status_code == 302
    assert response.location == f"/events/{event_id}/cards?layout=a4-4&who=confirmed&crop=y"
    started = client.post(
        f"/events/{event_id}/cards/jobs", data={"layout": "a4-4", "who": "confirmed"}
    )
    job_url = started.location
    assert "Друкуємо 6 карток" in client.get(job_url).get_data(as_text=True)
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
    tickets = sorted(f"http://spilno.test/t/{token}" for token in printable["tokens"].values())
    assert qr_codes(data, tmp_path) == tickets


def test_a_bad_layout_is_refused(client, printable):
    assert client.get(f"/events/{printable['event'].id}/cards.pdf?layout=a3-99").status_code == 400


def test_each_part_of_a_card_is_a_line_of_its_own(app):
    card = cards.Card(
        name="Олена Коваль", organisation="Освіторія", sector="Освіта", colour="#f2a900",
        interests=["кіно"], offers=["менторство"], event_title="Вечір", event_date="5 грудня",
        link="http://spilno.test/t/a", name_size=20,
    )  # fmt: skip
    with app.app_context():
        pdf = printing.print_chunk(
            [card], layout=cards.LAYOUTS["a4-8"], crop_marks=True, title="Вечір", locale="uk"
        )
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert [line.strip() for line in page.extract_text().splitlines()] == [
        "ОСВІТА",
        "Олена Коваль",
        "Освіторія",
        "Інтереси: кіно",
        "Запитайте мене про: менторство",
        "Спільно · Вечір · 5 грудня",  # the community's name, then the event's
    ]
    assert not page.images
    with app.app_context():
        logo = (sample_picture((600, 200)), "logo.png")
        community.save({"name_uk": "Мости", "name_en": "Bridges"}, logo=logo)
        db.session.commit()
        pdf = printing.print_chunk(
            [card], layout=cards.LAYOUTS["a4-8"], crop_marks=True, title="Вечір", locale="uk"
        )
    branded = PdfReader(io.BytesIO(pdf)).pages[0]
    assert "Мости · Вечір · 5 грудня" in branded.extract_text()
    [logo_image] = branded.images  # the community's logo, beside its name
    assert logo_image.image.size == (512, 171)


def test_the_layouts_are_named_by_their_paper_in_the_hosts_language(client, printable):
    page = client.get(f"/events/{printable['event'].id}/cards").text
    options = re.findall(r"<option value=\"[^\"]+\"[^>]*>([^<]+)</option>", page)
    assert "Аркуш A4 — 8 карток на сторінці, 105 × 74 мм" in options
    assert "Аркуш US Letter — 6 карток на сторінці, 101,6 × 76,2 мм" in options
    assert not [o for o in options if "a4-8" in o or "mm" in o]  # no codes, no English units
