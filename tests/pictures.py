"""Pictures for the tests that upload them: real files made by Pillow, not bytes that look alike."""

import io

from PIL import Image, ImageDraw


def sample_picture(size=(1600, 900), format="PNG", colour=(31, 95, 191)) -> bytes:
    """A picture with a bright disc on a coloured ground, so a crop or a resize can be seen."""
    picture = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    width, height = size
    draw.ellipse((width // 4, height // 4, 3 * width // 4, 3 * height // 4), fill=(242, 183, 5))
    out = io.BytesIO()
    picture.save(out, format)
    return out.getvalue()
