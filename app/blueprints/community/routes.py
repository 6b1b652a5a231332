"""Bringing the existing community in: upload a member list, match its columns, preview, run."""

import io

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from app.blueprints.actions import run_action
from app.blueprints.community import bp
from app.blueprints.community.forms import MessageForm, SaveSegmentForm, SegmentForm, UploadForm
from app.blueprints.events.forms import in_zone
from app.blueprints.params import whole_number
from app.extensions import db
from app.i18n import SPOKEN_LANGUAGE_LABELS
from app.labels import IMPORT_FIELD_LABELS
from app.models import Import, ImportStatus, Message, Role, Segment
from app.models.types import KYIV
from app.security import role_required
from app.services import events, invitations, messages, profiles, segments
from app.services.imports import checking, running
from app.services.segments import Criteria

PREVIEW_ROWS = 100  # rows with problems shown on the page; the rest are counted


@bp.route("/community/import", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def import_page():
    form = UploadForm()
    if form.validate_on_submit():
        upload = form.file.upload
        if upload is None:
            form.file.errors = [_("Choose a file.")]
        else:
            made = run_action(lambda: running.upload(*upload, current_user), form=form)
            if made:
                return redirect(url_for("community.import_preview", import_id=made.result.id))
    return render_template(
        "community/import.html",
        form=form,
        counts=invitations.counts(),
        imports=running.recent(),
    )


def _draft_choices(job: Import) -> tuple[dict, dict, bool]:
    """The column and sector matching sent with the preview form."""
    mapping = {}
    for index in range(len(job.header)):
        chosen = request.form.get(f"column-{index}", "")
        if chosen in checking.FIELDS:
            mapping[str(index)] = chosen
    sectors = {}
    for index in range(whole_number(request.form.get("sector-count"), 0, high=500)):
        name = request.form.get(f"sector-name-{index}", "")
        if name:
            sectors[name] = whole_number(request.form.get(f"sector-{index}"), 0)
    return mapping, sectors, request.form.get("update_existing") == "y"


@bp.route("/community/import/<int:import_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def import_preview(import_id):
    job = db.session.get(Import, import_id) or abort(404)
    if request.method == "POST" and job.status == ImportStatus.DRAFT:
        mapping, sectors, update = _draft_choices(job)
        starting = request.form.get("action") == "start"

        def choose_and_maybe_start():
            running.set_choices(job, mapping, sectors, update)
            if starting:
                running.start(job)

        done = run_action(
            choose_and_maybe_start,
            _("The import is on its way: this page shows its progress.") if starting else "",
        )
        if done or not starting:
            return redirect(url_for("community.import_preview", import_id=job.id))
    preview = None
    if job.status == ImportStatus.DRAFT:
        preview = checking.check_rows(job.header, job.rows, job.mapping, job.update_existing)
    return render_template(
        "community/preview.html",
        job=job,
        preview=preview,
        shown=PREVIEW_ROWS,
        field_labels=IMPORT_FIELD_LABELS,
        sectors=profiles.all_sectors(),
    )


@bp.route("/community/import/<int:import_id>/progress")
@role_required(Role.ADMIN)
def import_progress(import_id):
    job = db.session.get(Import, import_id) or abort(404)
    return render_template("community/_progress.html", job=job)


@bp.route("/community/invitations/resend", methods=["POST"])
@role_required(Role.ADMIN)
def resend_invitations():
    count = invitations.resend_unaccepted()
    db.session.commit()
    flash(
        ngettext(
            "The invitation is sent again to %(num)s person.",
            "The invitation is sent again to %(num)s people.",
            count,
        ),
        "success",
    )
    return redirect(url_for("community.import_page"))


def _segment_form(**kwargs) -> SegmentForm:
    form = SegmentForm(request.args, **kwargs)
    form.sector_ids.choices = [SelectChoice(s.id, s.name) for s in profiles.all_sectors()]
    form.languages.choices = [SelectChoice(c, n) for c, n in SPOKEN_LANGUAGE_LABELS.items()]
    form.checked_in_event_id.choices = [SelectChoice(0, _("— any or none —"))] + [
        SelectChoice(e.id, f"{e.starts_at:%Y-%m-%d} · {e.title}") for e in segments.recent_events()
    ]
    return form


def _segment_page(form, save_form, segment=None):
    criteria = form.criteria() if form.validate() else Criteria()
    return render_template(
        "community/segments.html",
        form=form,
        save_form=save_form,
        segment=segment,
        count=segments.count(criteria),
        sample=segments.sample(criteria),
        saved=segments.saved_segments(),
        query=request.args.to_dict(flat=False),
    )


@bp.route("/community/segments", methods=["GET", "POST"])
@role_required(Role.HOST, Role.ADMIN)
def segments_page():
    form = _segment_form()
    save_form = SaveSegmentForm()
    if request.method == "POST" and save_form.validate_on_submit() and form.validate():
        made = run_action(
            lambda: segments.save(current_user, save_form.name.data, form.criteria()),
            _("The segment is saved."),
            form=save_form,
        )
        if made:
            return redirect(url_for("community.segment_page", segment_id=made.result.id))
    return _segment_page(form, save_form)


@bp.route("/community/segments/<int:segment_id>")
@role_required(Role.HOST, Role.ADMIN)
def segment_page(segment_id):
    segment = db.session.get(Segment, segment_id) or abort(404)
    form = _segment_form()
    if not request.args:
        form.fill(Criteria.from_json(segment.criteria))
    return _segment_page(form, SaveSegmentForm(name=segment.name), segment)


@bp.route("/community/segments/<int:segment_id>.csv")
@role_required(Role.HOST, Role.ADMIN)
def segment_csv(segment_id):
    segment = db.session.get(Segment, segment_id) or abort(404)
    header = [
        _("Name"),
        _("Email"),
        _("Sector"),
        _("Organisation"),
        _("City"),
        _("Languages"),
        _("Joined on"),
    ]
    text = segments.export_csv(Criteria.from_json(segment.criteria), header)
    return send_file(
        io.BytesIO(text.encode()),
        mimetype="text/csv",
        download_name=f"segment-{segment.id}.csv",
        as_attachment=True,
    )


def _message_form() -> MessageForm:
    form = MessageForm()
    form.segment_id.choices = [SelectChoice(0, _("— choose —"))] + [
        SelectChoice(s.id, s.name) for s in segments.saved_segments()
    ]
    form.event_id.choices = [SelectChoice(0, _("— choose —"))] + [
        SelectChoice(e.id, f"{e.starts_at:%Y-%m-%d} · {e.title}")
        for e in events.events_hosted_by(current_user)
    ]
    return form


def _draft(form: MessageForm) -> messages.Draft:
    return messages.Draft(
        subject=form.subject.data or "",
        body_md=form.body_md.data or "",
        audience=form.audience.data,
        segment_id=form.segment_id.data or None,
        event_id=form.event_id.data or None,
        event_group=form.event_group.data or "confirmed",
        scheduled_at=in_zone(form.scheduled_at.data, KYIV),
    )


@bp.route("/community/messages")
@role_required(Role.HOST, Role.ADMIN)
def messages_page():
    return render_template("community/messages.html", sent=messages.messages_of(current_user))


@bp.route("/community/messages/new", methods=["GET", "POST"])
@role_required(Role.HOST, Role.ADMIN)
def compose_message():
    form = _message_form()
    if not current_user.is_admin and request.method == "GET":
        form.audience.data = "event"
    previews = None
    if form.validate_on_submit():
        action = request.form.get("action")
        draft = _draft(form)
        if action == "preview":
            previews = {
                code: messages.preview(draft, code, current_user.name) for code in ("uk", "en")
            }
        elif action == "test":
            messages.send_test(current_user, draft)
            db.session.commit()
            flash(_("A test copy is on its way to %(email)s.", email=current_user.email), "info")
        else:
            sent = run_action(
                lambda: messages.create(current_user, draft),
                lambda message: (
                    _("Scheduled.")
                    if message.status == "scheduled"
                    else ngettext(
                        "Sent to %(num)s person.", "Sent to %(num)s people.", message.recipients
                    )
                ),
                form=form,
            )
            if sent:
                return redirect(url_for("community.message_page", message_id=sent.result.id))
    return render_template("community/compose.html", form=form, previews=previews)


@bp.route("/community/messages/<int:message_id>")
@role_required(Role.HOST, Role.ADMIN)
def message_page(message_id):
    message = db.session.get(Message, message_id) or abort(404)
    if not current_user.is_admin and message.author_id != current_user.id:
        abort(403)
    return render_template(
        "community/message.html", message=message, delivery=messages.delivery(message)
    )
