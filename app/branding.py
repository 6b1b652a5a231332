"""The community's face on every page and email: its settings, read once per request."""

from flask import Flask, g, redirect, request, session, url_for
from flask_login import current_user
from werkzeug.local import LocalProxy

from app.services import community
from app.services.community import Community


def current_community() -> Community:
    """The settings as this request (or this pass of the worker) first read them: every
    pass of the worker has an app context of its own, so an admin's change reaches the
    next pass's mail."""
    if "community" not in g:
        g.community = community.load()
    return g.community


def offered_languages() -> tuple[str, ...]:
    return current_community().languages


def consent_is_due(user_id: int) -> bool:
    """Whether the member has yet to agree to the policies now in force. The answer is kept in
    their session once yes, so a page asks the database only until they agreed."""
    version = current_community().policy_version
    if version == 0 or session.get("consented") == [user_id, version]:
        return False
    if community.has_consented(user_id, version):
        session["consented"] = [user_id, version]
        return False
    return True


# Pages a member reaches before agreeing: the policies themselves, the way out, files.
BEFORE_CONSENT = {"main.consent", "main.policy", "main.picture", "main.healthz", "auth.logout"}


def ask_for_consent():
    """A signed-in member who has not agreed to the policies in force is asked first, at
    their next page; a form already sent or a fragment a page asks for goes through."""
    if request.method != "GET" or request.headers.get("HX-Request"):
        return None
    if request.endpoint in BEFORE_CONSENT or request.blueprint in (None, "bootstrap"):
        return None
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    if consent_is_due(current_user.id):
        return redirect(url_for("main.consent", next=request.full_path.rstrip("?")))
    return None


def init_app(app: Flask) -> None:
    app.before_request(ask_for_consent)
    # Read only when a template uses it: a fragment that never names the community (the live
    # panel every phone polls) costs no query for it.
    app.jinja_env.globals["community"] = LocalProxy(current_community)
