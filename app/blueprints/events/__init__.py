from flask import Blueprint

bp = Blueprint("events", __name__)

from app.blueprints.events import attendees, feeds, proposals, questions, routes  # noqa: E402, F401  (registers views)
