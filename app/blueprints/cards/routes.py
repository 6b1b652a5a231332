"""Printable cards: hosts print their event's, members their own."""

from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.blueprints.cards import bp
from app.blueprints.downloads import download
from app.blueprints.events.access import managed_event
from app.extensions import db
from app.i18n import event_when
from app.models import CardJob
from app.models.types import utcnow
from app.services import cards


def _choices():
    layout = request.values.get("layout", "a4-8")
    who = request.values.get("who", "confirmed")
    if layout not in cards.LAYOUTS or who not in cards.WHO:
        abort(400)
    return layout, who, request.values.get("crop") in ("1", "y", "on", "yes")


def _pdf(data: bytes, filename: str):
    return download(data, "application/pdf", filename, inline=True)


@bp.route("/events/<int:event_id>/cards")
def cards_page(event_id):
    event = managed_event(event_id)
    counts = {who: cards.count_cards(event, who) for who in cards.WHO}
    jobs = db.session.scalars(
        db.select(CardJob).where(CardJob.event_id == event.id).order_by(CardJob.id.desc()).limit(5)
    ).all()
    return render_template(
        "cards/choose.html", event=event, layouts=cards.LAYOUTS, counts=counts, jobs=jobs,
        limit=cards.DIRECT_LIMIT,
    )  # fmt: skip


@bp.route("/events/<int:event_id>/cards.pdf")
def event_cards(event_id):
    event = managed_event(event_id)
    layout, who, crop = _choices()
    if cards.count_cards(event, who) > cards.DIRECT_LIMIT:
        flash(_("That is a big set: it is printed in the background. Start it below."), "info")
        return redirect(url_for("cards.cards_page", event_id=event.id, layout=layout, who=who))
    chosen = cards.cards_for(event, who, cards.LAYOUTS[layout], event_when(event))
    pdf = cards.render_pdf(chosen, cards.LAYOUTS[layout], crop_marks=crop, title=event.title)
    return _pdf(pdf, f"cards-{event.id}-{layout}.pdf")


@bp.route("/events/<int:event_id>/cards/jobs", methods=["POST"])
def start_job(event_id):
    event = managed_event(event_id)
    layout, who, crop = _choices()
    job = cards.start_job(event, current_user, layout=layout, who=who, crop_marks=crop)
    db.session.commit()
    return redirect(url_for("cards.job_page", event_id=event.id, job_id=job.id))


def _job(event_id, job_id) -> CardJob:
    managed_event(event_id)
    job = db.session.get(CardJob, job_id)
    if job is None or job.event_id != event_id:
        abort(404)
    return job


@bp.route("/events/<int:event_id>/cards/jobs/<int:job_id>")
def job_page(event_id, job_id):
    job = _job(event_id, job_id)
    template = "cards/_job.html" if request.headers.get("HX-Request") else "cards/job.html"
    return render_template(template, job=job, event_id=event_id)


@bp.route("/events/<int:event_id>/cards/jobs/<int:job_id>.pdf")
def job_pdf(event_id, job_id):
    job = _job(event_id, job_id)
    if job.status != "ready":
        abort(404)
    return _pdf(Path(job.path).read_bytes(), f"cards-{event_id}.pdf")


@bp.route("/me/card.pdf")
@login_required
def my_card():
    layout = cards.LAYOUTS.get(request.args.get("layout", "a6"), cards.LAYOUTS["a6"])
    registration = cards.next_confirmed(current_user, utcnow())
    event = registration.event if registration else None
    card = cards.card_of(
        current_user, registration, event, layout, event_when(event) if event else ""
    )
    return _pdf(
        cards.render_pdf([card], layout, crop_marks=False, title=current_user.name), "my-card.pdf"
    )
