from flask import Blueprint

bp = Blueprint("members", __name__)

from app.blueprints.members import introductions, notes, routes  # noqa: E402, F401  (registers the views)
