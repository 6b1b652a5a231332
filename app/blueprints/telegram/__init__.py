from flask import Blueprint

bp = Blueprint("telegram", __name__)

from app.blueprints.telegram import routes  # noqa: E402, F401  (registers the views on bp)
