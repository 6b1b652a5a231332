from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.blueprints.actions import run_action
from app.blueprints.admin import bp
from app.blueprints.admin.forms import (
    CommunityForm,
    LevelRulesForm,
    PoliciesForm,
    RoleForm,
    SectorForm,
    SectorRemovalForm,
)
from app.blueprints.params import page_number, whole_number
from app.branding import current_community
from app.extensions import db
from app.labels import ROLE_LABELS
from app.models import Role, Sector, User
from app.security import is_safe_next, role_required
from app.services import accounts, admin, coffee, community, levels


@bp.route("/")
@role_required(Role.ADMIN)
def users():
    text = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    role = role if role in set(Role) else ""
    page = admin.list_users(text, role, page=page_number(request.args))
    return render_template(
        "admin/users.html",
        page=page,
        text=text,
        role=role,
        role_labels=ROLE_LABELS,
        role_form=RoleForm(),
    )


@bp.route("/users/<int:user_id>/role", methods=["POST"])
@role_required(Role.ADMIN)
def change_role(user_id):
    user = db.session.get(User, user_id)
    if user is None or not user.is_active:
        abort(404)
    form = RoleForm()
    if form.validate_on_submit():
        run_action(
            lambda: accounts.change_role(user, Role(form.role.data)),
            lambda _result: _(
                "%(name)s is now: %(role)s.", name=user.name, role=ROLE_LABELS[user.role]
            ),
        )
    back = request.form.get("back")
    return redirect(back if is_safe_next(back) else url_for("admin.users"))


@bp.route("/sectors", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def sectors():
    form = SectorForm()
    if form.validate_on_submit():
        return _save_sector(form, None)
    return _sectors_page(form)


@bp.route("/sectors/<int:sector_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_sector(sector_id):
    sector = db.session.get(Sector, sector_id) or abort(404)
    form = SectorForm(obj=sector)
    if form.validate_on_submit():
        return _save_sector(form, sector)
    return _sectors_page(form, editing=sector)


@bp.route("/sectors/<int:sector_id>/remove", methods=["POST"])
@role_required(Role.ADMIN)
def remove_sector(sector_id):
    sector = db.session.get(Sector, sector_id) or abort(404)
    form = SectorRemovalForm()
    merge_into = form.merge_into.data if form.validate_on_submit() else None
    name = sector.name
    done = run_action(
        lambda: admin.remove_sector(sector, merge_into=merge_into),
        lambda moved: (
            _("%(name)s is removed; its members moved.", name=name)
            if moved
            else _("%(name)s is removed.", name=name)
        ),
    )
    if done:
        return redirect(url_for("admin.sectors"))
    return redirect(url_for("admin.edit_sector", sector_id=sector_id))


def _save_sector(form, sector):
    saved = run_action(
        lambda: admin.save_sector(
            sector, name_uk=form.name_uk.data, name_en=form.name_en.data, colour=form.colour.data
        ),
        _("The sector is saved."),
        form=form,
    )
    return redirect(url_for("admin.sectors")) if saved else _sectors_page(form, editing=sector)


def _sectors_page(form, editing=None):
    return render_template(
        "admin/sectors.html",
        form=form,
        editing=editing,
        sectors=admin.sectors_with_member_counts(),
    )


WEEKDAYS = [
    _l("Monday"),
    _l("Tuesday"),
    _l("Wednesday"),
    _l("Thursday"),
    _l("Friday"),
    _l("Saturday"),
    _l("Sunday"),
]


@bp.route("/coffee", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def coffee_rounds():
    if request.method == "POST":
        weekday = whole_number(request.form.get("weekday"), high=6)
        if weekday is not None and 0 <= weekday <= 6:
            coffee.set_coffee_weekday(weekday)
            db.session.commit()
            flash(_("Random coffee rounds now run on %(day)s.", day=WEEKDAYS[weekday]), "success")
        return redirect(url_for("admin.coffee_rounds"))
    return render_template(
        "admin/coffee.html",
        summary=coffee.coffee_rounds_summary(),
        weekday=coffee.coffee_weekday(),
        weekdays=WEEKDAYS,
    )


@bp.route("/levels", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def level_rules():
    """The weights and thresholds of engagement levels; the worker uses them from its next
    daily computation."""
    form = LevelRulesForm()
    if request.method == "GET":
        current = levels.current_rules()
        form.process(data={**current.weights, "core": current.core, "active": current.active,
                           "quiet_days": current.quiet_days})  # fmt: skip
    if form.validate_on_submit():
        weights = {act: float(form[act].data) for act in levels.ACTS}
        saved = run_action(
            lambda: levels.save_rules(
                weights,
                core=float(form.core.data),
                active=float(form.active.data),
                quiet_days=form.quiet_days.data,
            ),
            _("The rules are saved. Levels follow them from the next daily computation."),
            form=form,
        )
        if saved:
            return redirect(url_for("admin.level_rules"))
    return render_template("admin/levels.html", form=form, defaults=levels.RULES, acts=levels.ACTS)


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings():
    face = current_community()
    form = CommunityForm(obj=face if request.method == "GET" else None)
    if request.method == "GET":
        form.offer_english.data = "en" in face.languages
    if form.validate_on_submit():
        changes = {key: form[key].data or "" for key in community.EDITABLE if key in form}
        changes["languages"] = ("uk", "en") if form.offer_english.data else ("uk",)
        saved = run_action(
            lambda: community.save(
                changes, logo=form.logo.upload, remove_logo=form.remove_logo.data
            ),
            _("The community's settings are saved."),
            form=form,
        )
        if saved:
            return redirect(url_for("admin.settings"))
    return _settings_page(form, PoliciesForm(obj=face))


@bp.route("/settings/policies", methods=["POST"])
@role_required(Role.ADMIN)
def publish_policies():
    policies = PoliciesForm()
    if policies.validate_on_submit():
        published = run_action(
            lambda: community.publish_policies(policies.privacy_md.data, policies.terms_md.data),
            lambda version: _(
                "Version %(version)s is published: members are asked to agree at their next visit.",
                version=version,
            ),
            form=policies,
        )
        if published:
            return redirect(url_for("admin.settings"))
    face = current_community()
    form = CommunityForm(obj=face, formdata=None)
    form.offer_english.data = "en" in face.languages
    return _settings_page(form, policies)


def _settings_page(form, policies):
    return render_template("admin/settings.html", form=form, policies=policies)
