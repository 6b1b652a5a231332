from flask import Blueprint

bp = Blueprint("cards", __name__)

from app.blueprints.cards import routes  # noqa: E402, F401  (registers the views on bp)
