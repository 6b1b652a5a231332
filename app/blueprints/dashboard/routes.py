import io

from flask import abort, render_template, request, send_file

from app.blueprints.dashboard import bp
from app.blueprints.dashboard.forms import PERIOD_DAYS, PeriodForm, chosen_period
from app.models import Role
from app.models.types import utcnow
from app.security import role_required
from app.services import analytics, levels
from app.services.analytics import exports


@bp.route("/dashboard")
@role_required(Role.HOST, Role.ADMIN)
def dashboard():
    form = PeriodForm(request.args)
    period, preset = chosen_period(form)
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
    period, _label = chosen_period(PeriodForm(request.args))
    text = exports.block_csv(block, period, utcnow())
    return send_file(
        io.BytesIO(text.encode()),
        mimetype="text/csv",
        download_name=f"spilno-{block}-{period.start:%Y%m%d}-{period.last_moment:%Y%m%d}.csv",
        as_attachment=True,
    )
