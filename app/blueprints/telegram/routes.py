"""Telegram: the bot's webhook, and connecting or disconnecting one's chat from /me."""

import hmac

from flask import abort, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.telegram import bp
from app.extensions import csrf, db
from app.security import login_required
from app.services import telegram
from app.services.telegram import conversation, linking
from app.services.telegram.client import bot_from_config


@bp.route("/telegram/webhook/<secret>", methods=["POST"])
@csrf.exempt  # Telegram cannot hold a CSRF token; the secret, twice, is its credential
def webhook(secret):
    expected = current_app.config["TELEGRAM_WEBHOOK_SECRET"]
    header = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not (telegram.enabled() and expected):
        abort(404)
    if not (hmac.compare_digest(secret, expected) and hmac.compare_digest(header, expected)):
        abort(403)
    update = request.get_json(silent=True)
    if not isinstance(update, dict):
        abort(400)
    calls = conversation.handle_update(update)
    db.session.commit()
    conversation.send_replies(bot_from_config(), calls)
    return {"ok": True}


@bp.route("/me/telegram/connect", methods=["POST"])
@login_required
def connect():
    if not telegram.enabled():
        abort(404)
    link = linking.deep_link(current_user)
    db.session.commit()
    return redirect(link)


@bp.route("/me/telegram/disconnect", methods=["POST"])
@login_required
def disconnect():
    if not telegram.enabled():
        abort(404)
    chat_id = linking.unlink_user(current_user.id)
    db.session.commit()
    if chat_id is not None:
        conversation.send_replies(bot_from_config(), [conversation.goodbye(chat_id, current_user)])
    flash(_("Telegram is disconnected. Messages go by email."), "success")
    return redirect(url_for("members.edit_profile") + "#telegram")
