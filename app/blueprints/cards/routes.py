"""Printable cards: hosts print their event's, members their own."""

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.blueprints.cards import bp
from app.blueprints.cards.forms import CardsForm
from app.extensions import db
from app.i18n import event_when
from app.labels import CARD_JOB_STATUS_LABELS, CARD_PAPER_LABELS, CARDS_FOR_LABELS
from app.models import CardJob, CardJobStatus
from app.models.types import utcnow
from app.security import hosts_of_event, login_required
from app.services import cards


def _printed(chosen, layout, *, crop_marks: bool, title: str, filename: str):
    # Imported here: WeasyPrint loads when something prints, not with the app.
    from app.services.printing import render_pdf

    pdf = render_pdf(chosen, layout, crop_marks=crop_marks, title=title)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", download_name=filename)


def _choices_page(event, form: CardsForm, status: int = 200):
    counts = {who: cards.count_cards(event, who) for who in cards.WHO}
    jobs = db.session.scalars(
        db.select(CardJob).where(CardJob.event_id == event.id).order_by(CardJob.id.desc()).limit(5)
    ).all()
    page = render_template(
        "cards/choose.html",
        event=event,
        form=form,
        layouts=cards.LAYOUTS,
        papers=CARD_PAPER_LABELS,
        who_labels=CARDS_FOR_LABELS,
        status_labels=CARD_JOB_STATUS_LABELS,
        counts=counts,
        jobs=jobs,
        limit=cards.DIRECT_LIMIT,
    )
    return page, status


@bp.route("/events/<int:event_id>/cards")
@hosts_of_event
def cards_page(event):
    return _choices_page(event, CardsForm(request.args))


@bp.route("/events/<int:event_id>/cards.pdf")
@hosts_of_event
def event_cards(event):
    form = CardsForm(request.args)
    if not form.validate():
        return _choices_page(event, form, 400)
    if cards.count_cards(event, form.who.data) > cards.DIRECT_LIMIT:
        flash(_("That is a big set: it is printed in the background. Start it below."), "info")
        choices = {"layout": form.layout.data, "who": form.who.data}
        if form.crop.data:
            choices["crop"] = "y"
        return redirect(url_for("cards.cards_page", event_id=event.id, **choices))
    layout = cards.LAYOUTS[form.layout.data]
    chosen = cards.cards_for(event, form.who.data, layout, event_when(event))
    return _printed(
        chosen,
        layout,
        crop_marks=form.crop.data,
        title=event.title,
        filename=f"cards-{event.id}-{layout.name}.pdf",
    )


@bp.route("/events/<int:event_id>/cards/jobs", methods=["POST"])
@hosts_of_event
def start_job(event):
    form = CardsForm()
    if not form.validate():
        return _choices_page(event, form, 400)
    job = cards.start_job(
        event, current_user, layout=form.layout.data, who=form.who.data, crop_marks=form.crop.data
    )
    db.session.commit()
    return redirect(url_for("cards.job_page", event_id=event.id, job_id=job.id))


def _job(event, job_id) -> CardJob:
    job = db.session.get(CardJob, job_id)
    if job is None or job.event_id != event.id:
        abort(404)
    return job


@bp.route("/events/<int:event_id>/cards/jobs/<int:job_id>")
@hosts_of_event
def job_page(event, job_id):
    job = _job(event, job_id)
    template = "cards/_job.html" if request.headers.get("HX-Request") else "cards/job.html"
    return render_template(template, job=job, event_id=event.id)


@bp.route("/events/<int:event_id>/cards/jobs/<int:job_id>.pdf")
@hosts_of_event
def job_pdf(event, job_id):
    job = _job(event, job_id)
    if job.status != CardJobStatus.READY:
        abort(404)
    return send_file(job.path, mimetype="application/pdf", download_name=f"cards-{event.id}.pdf")


@bp.route("/me/card.pdf")
@login_required
def my_card():
    layout = cards.LAYOUTS.get(request.args.get("layout", "a6"), cards.LAYOUTS["a6"])
    registration = cards.next_confirmed(current_user, utcnow())
    event = registration.event if registration else None
    card = cards.card_of(
        current_user, registration, event, layout, event_when(event) if event else ""
    )
    return _printed(
        [card], layout, crop_marks=False, title=current_user.name, filename="my-card.pdf"
    )
