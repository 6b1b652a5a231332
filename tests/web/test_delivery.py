"""How pages and files travel: compressed when the browser accepts it, static files under
fingerprinted URLs that browsers keep for a year, and a description for search engines."""

import re

import brotli
import pytest

HTMX = {"HX-Request": "true"}


def test_a_page_goes_compressed_to_a_browser_that_accepts_it(client):
    plain = client.get("/")
    packed = client.get("/", headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert without_csrf_tokens(brotli.decompress(packed.data)) == without_csrf_tokens(plain.data)
    assert len(packed.data) < len(plain.data) / 2


def without_csrf_tokens(page: bytes) -> bytes:
    """The page with its CSRF tokens blanked: a token is signed with the second it was made,
    so two requests a second apart differ there and only there."""
    return re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token" value=""', page)


@pytest.mark.parametrize("asset", ["css/spilno.css", "js/menu.js"])
def test_static_files_have_fingerprinted_urls_kept_a_year(app, client, asset):
    page = client.get("/").text
    url = next(part for part in page.split('"') if part.startswith(f"/static/{asset}?v="))
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    assert response.headers["Content-Encoding"] == "br"
    # Without the fingerprint (an old or hand-made link) a file is not kept a year.
    assert "max-age=31536000" not in client.get(f"/static/{asset}").headers.get("Cache-Control", "")


def test_bootstraps_files_are_fingerprinted_too(client):
    page = client.get("/").text
    assert "/bootstrap/static/css/bootstrap.min.css?v=" in page


def test_a_fingerprint_changes_with_the_file(app, tmp_path):
    from app.assets import fingerprint

    file = tmp_path / "a.css"
    file.write_text("a { color: red }")
    first = fingerprint(str(file), 1)
    file.write_text("a { color: blue }")
    assert fingerprint(str(file), 2) != first


def test_every_page_has_a_description(client, make_event):
    home = client.get("/").text
    assert '<meta name="description" content="Спільно:' in home
    event = make_event(title="Кава з наукою", city="Львів")
    page = client.get(f"/events/{event.id}").text
    assert '<meta name="description" content="Кава з наукою · ' in page and "· Львів" in page
