import io

from flask import abort, render_template, request, send_file

from app.blueprints.dashboard import bp
from app.blueprints.dashboard.forms import DEFAULT_DAYS, PERIOD_DAYS, PeriodForm
from app.models import Role
from app.models.types import KYIV_ZONE, utcnow
from app.security import role_required
from app.services import analytics, levels
from app.services.analytics import exports


def _chosen_period(form: PeriodForm) -> tuple[analytics.Period, str | None]:
    """The period the form asks for, and the name of a preset (None for two dates); the
    default period while the dates are wrong."""
    if form.validate() and form.has_dates:
        return analytics.period_between(form.start.data, form.end.data, KYIV_ZONE), None
    days = form.days.data if form.days.data in PERIOD_DAYS else DEFAULT_DAYS
    return analytics.Period.last(days, utcnow()), str(PERIOD_DAYS[days])


@bp.route("/dashboard")
@role_required(Role.HOST, Role.ADMIN)
def dashboard():
    form = PeriodForm(request.args)
    period, preset = _chosen_period(form)
    figures = analytics.dashboard(period, utcnow())
    return render_template(
        "dashboard/dashboard.html",
        form=form,
        figures=figures,
        preset=preset,
        period_days=PERIOD_DAYS,
        query=request.args.to_dict(),
        movement=levels.movement(utcnow()),
    )


@bp.route("/dashboard/<block>.csv")
@role_required(Role.HOST, Role.ADMIN)
def block_csv(block):
    if block not in exports.BLOCKS:
        abort(404)
    period, _label = _chosen_period(PeriodForm(request.args))
    text = exports.block_csv(block, period, utcnow())
    return send_file(
        io.BytesIO(text.encode()),
        mimetype="text/csv",
        download_name=f"spilno-{block}-{period.start:%Y%m%d}-{period.last_moment:%Y%m%d}.csv",
        as_attachment=True,
    )
