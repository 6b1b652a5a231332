from flask import Blueprint

bp = Blueprint("meetings", __name__)

from app.blueprints.meetings import routes  # noqa: E402, F401  (registers the views on bp)
