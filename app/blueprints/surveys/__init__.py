from flask import Blueprint

bp = Blueprint("surveys", __name__)

from app.blueprints.surveys import routes  # noqa: E402, F401  (registers the views on bp)
