"""Error pages in the person's language; a 500 also rolls back what was half done."""

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from app.blueprints.errors import bp
from app.extensions import db

PAGES = {
    400: (_l("Something went wrong with that request"), _l("Please go back and try again.")),
    403: (_l("This page is not for you"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("The page may have moved, or the link is mistyped.")),
    405: (_l("That does not work here"), _l("This address does not accept that kind of request.")),
    413: (
        _l("This file is too large"),
        _l("A picture may be up to 10 MB. Go back, choose a smaller one and send the form again."),
    ),
    429: (
        _l("Too many attempts"),
        _l("Please wait a minute before trying again. This protects your account."),
    ),
    500: (
        _l("Something broke on our side"),
        _l("We have been told about it. Please try again in a little while."),
    ),
}


def error_page(code: int, detail=None):
    title, text = PAGES[code]
    return render_template("errors/error.html", code=code, title=title, text=detail or text), code


CSRF_FAILED = _l(
    "The form has expired or did not come from this site. Reload the page and send it again."
)


@bp.app_errorhandler(CSRFError)
def csrf_error(error):
    return error_page(400, CSRF_FAILED)


@bp.app_errorhandler(400)
@bp.app_errorhandler(403)
@bp.app_errorhandler(404)
@bp.app_errorhandler(405)
@bp.app_errorhandler(413)
def client_error(error):
    return error_page(error.code)


@bp.app_errorhandler(429)
def too_many_requests(error):
    # A limit may bring its own page (the login form keeps what was typed).
    if error.response is not None:
        return error.response
    return error_page(429)


@bp.app_errorhandler(500)
def server_error(error):
    db.session.rollback()
    return error_page(500)
