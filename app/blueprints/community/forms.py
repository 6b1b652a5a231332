from flask_babel import lazy_gettext as _l

from app.blueprints.forms import Form, UploadField


class UploadForm(Form):
    file = UploadField(
        _l("Member list"),
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        description=_l(
            "A CSV or XLSX file with a header row: a Google Forms or Sheets export, or a "
            "spreadsheet saved from Excel. Nothing is saved before you see the preview."
        ),
    )
