"""Uploaded pictures: what is refused, and what is stored instead of what came."""

import io

import pytest
from PIL import Image

from app.services import errors, pictures
from tests.pictures import sample_picture


def stored(folder, name, size):
    return Image.open(folder / pictures.picture_file(name, size))


def test_a_cover_is_re_encoded_in_each_size_the_pages_use(tmp_path):
    name = pictures.save_picture(sample_picture((3000, 2000)), "photo.PNG", "cover", tmp_path)
    with stored(tmp_path, name, "wide") as wide, stored(tmp_path, name, "card") as card:
        assert (wide.format, wide.size) == ("JPEG", (1200, 630))
        assert (card.format, card.size) == ("JPEG", (600, 315))
        # The disc in the middle survives the crop: the picture is the person's, resized.
        assert wide.getpixel((600, 315))[0] > 200


def test_a_logo_keeps_its_shape_and_transparency(tmp_path):
    out = io.BytesIO()
    Image.new("RGBA", (800, 200), (0, 0, 0, 0)).save(out, "WEBP")
    name = pictures.save_picture(out.getvalue(), "logo.webp", "logo", tmp_path)
    with stored(tmp_path, name, "logo") as logo:
        assert (logo.format, logo.size, logo.mode) == ("PNG", (512, 128), "RGBA")


def test_the_camera_turn_is_applied_and_the_exif_is_dropped(tmp_path):
    picture = Image.new("RGB", (400, 200), (10, 20, 30))
    exif = picture.getexif()
    exif[0x0112] = 6  # "rotate 90° to show": a phone held upright
    exif[0x010F] = "PhoneMaker"  # what the camera wrote is not kept
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    name = pictures.save_picture(out.getvalue(), "upright.jpg", "logo", tmp_path)
    with stored(tmp_path, name, "logo") as logo:
        assert logo.size == (200, 400)
        assert not logo.getexif()


def _svg():
    return b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _bomb():
    """A PNG that says it is 20,000 × 20,000 pixels: tiny on disk, 1.2 GB when opened."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG")
    return out.getvalue()


def _gif():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    return out.getvalue()


@pytest.mark.parametrize(
    ("content", "filename", "error"),
    [
        (_svg(), "logo.svg", errors.NotAPicture),
        (_svg(), "logo.png", errors.NotAPicture),  # a wrong extension changes nothing
        (b"%PDF-1.7 not a picture", "cover.jpg", errors.NotAPicture),
        (sample_picture(format="JPEG")[:2000], "cut.jpg", errors.NotAPicture),  # truncated
        (_gif(), "anim.gif", errors.NotAPicture),
        (_gif(), "anim.png", errors.NotAPicture),
        (sample_picture(), "cover.exe", errors.NotAPicture),
        (sample_picture(), "", errors.NotAPicture),
        (_bomb(), "bomb.png", errors.PictureTooLarge),
        (b"\0" * (pictures.MAX_BYTES + 1), "big.jpg", errors.PictureTooLarge),
    ],
    ids=[
        "svg",
        "svg-named-png",
        "pdf",
        "truncated",
        "gif",
        "gif-named-png",
        "exe",
        "no-name",
        "bomb",
        "over-10-mb",
    ],
)
def test_what_is_not_a_usable_picture_is_refused_and_nothing_is_stored(
    tmp_path, content, filename, error
):
    with pytest.raises(error) as refused:
        pictures.save_picture(content, filename, "cover", tmp_path)
    assert refused.value.field == "cover"
    assert not any(tmp_path.iterdir())


def test_a_picture_is_found_only_in_the_sizes_of_its_kind():
    assert pictures.picture_file("cover-abc", "wide") == "cover-abc-wide.jpg"
    assert pictures.picture_file("cover-abc", "logo") is None
    assert pictures.picture_file("../etc-passwd", "wide") is None


def test_a_truncated_upload_is_refused_even_once_the_cards_printer_is_loaded(tmp_path):
    import weasyprint.images  # noqa: F401  (it lets Pillow load truncated files, process-wide)

    cut = sample_picture(format="JPEG")[:2000]
    with pytest.raises(errors.NotAPicture):
        pictures.save_picture(cut, "cut.jpg", "cover", tmp_path)
