"""The demo community's own face: published policies everyone agreed to, and a cover on
each upcoming event, so a fresh `make run` shows what a real community would."""

import io
import random

import sqlalchemy as sa
from flask import current_app
from PIL import Image, ImageDraw

from app.extensions import db
from app.models import Consent, Event, EventStatus, User
from app.services import community, pictures

PRIVACY = """# Як ми бережемо ваші дані

Ми зберігаємо лише те, що ви самі вказали в профілі, і ваші реєстрації на події.
Контакти бачать тільки ті, з ким ви погодилися залишитися на зв'язку.

- Завантажити або видалити свої дані можна будь-коли в профілі.
- Ми не передаємо дані третім особам.
"""
TERMS = """# Правила спільноти

1. Поважаймо одне одного: різні сектори, різні погляди.
2. Приходьте на події, на які зареєструвалися, або звільняйте місце.
3. Жодного спаму: контакти з зустрічей не для розсилок.
"""


def _cover(rng: random.Random, colours: list[str]) -> bytes:
    """A calm picture of overlapping circles in the sectors' colours."""
    width, height = 1200, 630
    picture = Image.new("RGB", (width, height), "#f6f7f9")
    draw = ImageDraw.Draw(picture, "RGBA")
    for _ in range(7):
        colour = Image.new("RGB", (1, 1), rng.choice(colours)).getpixel((0, 0))
        radius = rng.randint(140, 320)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(*colour, 150))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def seed_community_face(rng: random.Random, colours: list[str], now) -> None:
    version = community.publish_policies(PRIVACY, TERMS, now=now)
    user_ids = db.session.scalars(sa.select(User.id)).all()
    db.session.execute(
        sa.insert(Consent),
        [{"user_id": user_id, "version": version, "accepted_at": now} for user_id in user_ids],
    )
    upcoming = db.session.scalars(
        sa.select(Event).where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
    )
    folder = current_app.config["UPLOADS_DIR"]
    for event in upcoming:
        event.cover = pictures.save_picture(_cover(rng, colours), "demo.png", "cover", folder)
