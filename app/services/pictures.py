"""Pictures people upload (an event's cover, the community's logo).

Nothing uploaded is stored as it came: Pillow opens it, refuses what is not a JPEG, PNG or
WebP (an SVG, a PDF, a script renamed .jpg), refuses decompression bombs and truncated files,
and writes fresh files in the sizes the pages use. Each upload gets a new random name, so a
picture's address never changes its content and may be cached for a year.
"""

import io
import os
import secrets
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError
from werkzeug.security import safe_join

from app.services import errors

MAX_BYTES = 10 * 1024 * 1024
# Far above any camera's picture, far below what would fill the memory when decoded.
MAX_PIXELS = 50_000_000
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
ACCEPTED_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


@dataclass(frozen=True)
class Shape:
    """How one kind of picture is stored: each size by name, cropped to fill or fitted."""

    sizes: dict[str, tuple[int, int]]
    crop: bool
    format: str  # what it is written as
    suffix: str


# 1200×630 is what Telegram, Facebook and others show for a link (og:image).
COVER = Shape(
    sizes={"wide": (1200, 630), "card": (600, 315)}, crop=True, format="JPEG", suffix="jpg"
)
# A logo keeps its shape and its transparency.
LOGO = Shape(sizes={"logo": (512, 512)}, crop=False, format="PNG", suffix="png")
SHAPES = {"cover": COVER, "logo": LOGO}


@contextmanager
def _strict_loading():
    """Pillow's documented switch, on for this load only: WeasyPrint turns on loading
    truncated images for the whole process when it is imported (for the cards), and an
    upload cut short must be refused, not stored half grey."""
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient


def _open(data: bytes, kind: str) -> Image.Image:
    with warnings.catch_warnings(), _strict_loading():
        # Pillow only warns between its limit and twice it: here a warning is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            picture = Image.open(io.BytesIO(data))
            if picture.format not in ACCEPTED_FORMATS:
                raise errors.NotAPicture(field=kind)
            if picture.width * picture.height > MAX_PIXELS:
                raise errors.PictureTooLarge(field=kind)
            picture.load()  # a truncated file fails here, not later
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as bomb:
            raise errors.PictureTooLarge(field=kind) from bomb
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as broken:
            raise errors.NotAPicture(field=kind) from broken
    return ImageOps.exif_transpose(picture)


def _resized(picture: Image.Image, shape: Shape, size: tuple[int, int]) -> Image.Image:
    if shape.crop:
        return ImageOps.fit(picture.convert("RGB"), size, Image.Resampling.LANCZOS)
    fitted = picture.convert("RGBA")
    fitted.thumbnail(size, Image.Resampling.LANCZOS)
    return fitted


def save_picture(data: bytes, filename: str, kind: str, folder: str | Path) -> str:
    """Check an upload and store it in every size of its kind; the new picture's name."""
    shape = SHAPES[kind]
    if len(data) > MAX_BYTES:
        raise errors.PictureTooLarge(field=kind)
    if Path(filename or "").suffix.lower() not in ACCEPTED_SUFFIXES:
        raise errors.NotAPicture(field=kind)
    picture = _open(data, kind)
    name = f"{kind}-{secrets.token_urlsafe(12)}"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for size_name, size in shape.sizes.items():
        out = _resized(picture, shape, size)
        options = {"quality": 84, "optimize": True, "progressive": True}
        if shape.format == "PNG":
            options = {"optimize": True}
        out.save(folder / f"{name}-{size_name}.{shape.suffix}", shape.format, **options)
    return name


def picture_path(name: str, size: str) -> str | None:
    """Where a stored picture in one size is on disk, or None when there is no such file."""
    filename = picture_file(name, size)
    path = filename and safe_join(current_app.config["UPLOADS_DIR"], filename)
    return path if path and os.path.isfile(path) else None


def picture_file(name: str, size: str) -> str | None:
    """The file name of a stored picture in one size, or None when there is no such size."""
    kind = name.split("-", 1)[0]
    shape = SHAPES.get(kind)
    if shape is None or size not in shape.sizes:
        return None
    return f"{name}-{size}.{shape.suffix}"
