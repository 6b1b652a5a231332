from flask import Blueprint

bp = Blueprint("community", __name__)

from app.blueprints.community import routes  # noqa: E402, F401  (registers the views on bp)
