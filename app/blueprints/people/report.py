"""The impact report: a page, the same as a PDF to send to a funder, and a CSV of its figures."""

import io

from flask import current_app, render_template, request, send_file

from app.blueprints.dashboard.forms import PERIOD_DAYS, PeriodForm, chosen_period
from app.blueprints.people import bp
from app.models import Role
from app.models.types import utcnow
from app.security import role_required
from app.services import reports


def _report():
    """The report the query string asks for: its period (as on the dashboard) and quotes."""
    form = PeriodForm(request.args)
    period, preset = chosen_period(form)
    chosen = request.args.getlist("quote")[: reports.QUOTE_CHOICES]
    return form, preset, period, reports.impact_report(period, utcnow(), chosen)


def _file_name(period, extension: str) -> str:
    return f"impact-{period.start:%Y%m%d}-{period.last_moment:%Y%m%d}.{extension}"


@bp.route("/people/report")
@role_required(Role.HOST, Role.ADMIN)
def report_page():
    form, preset, period, report = _report()
    return render_template(
        "people/report.html",
        form=form,
        preset=preset,
        period_days=PERIOD_DAYS,
        report=report,
        quotable=reports.quotable(period),
        chosen={quote.key for quote in report.quotes},
        query=request.args.to_dict(flat=False),
    )


@bp.route("/people/report.pdf")
@role_required(Role.HOST, Role.ADMIN)
def report_pdf():
    from app.services import printing  # WeasyPrint loads only when something prints

    _form, _preset, period, report = _report()
    logo = printing.logo_file(current_app)
    html = render_template(
        "people/report_pdf.html", report=report, logo=logo.as_uri() if logo else None
    )
    return send_file(
        io.BytesIO(printing.print_document(html)),
        mimetype="application/pdf",
        download_name=_file_name(period, "pdf"),
    )


@bp.route("/people/report.csv")
@role_required(Role.HOST, Role.ADMIN)
def report_csv():
    _form, _preset, period, report = _report()
    return send_file(
        io.BytesIO(reports.report_csv(report).encode()),
        mimetype="text/csv",
        download_name=_file_name(period, "csv"),
        as_attachment=True,
    )
