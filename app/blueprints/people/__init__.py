from flask import Blueprint

bp = Blueprint("people", __name__)

from app.blueprints.people import introductions, report, routes  # noqa: E402, F401  (registers the views on bp)
