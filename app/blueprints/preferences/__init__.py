from flask import Blueprint

bp = Blueprint("preferences", __name__)

from app.blueprints.preferences import routes  # noqa: E402, F401  (registers the views on bp)
