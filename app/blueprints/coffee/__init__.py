from flask import Blueprint

bp = Blueprint("coffee", __name__)

from app.blueprints.coffee import routes  # noqa: E402, F401  (registers the views on bp)
