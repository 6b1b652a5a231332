"""The impact report: the dashboard's figures for a period, a PDF to send, a CSV, quotes."""

import csv
import io
import re
import subprocess
from datetime import timedelta

from app.extensions import db
from app.models import Answer, Question, Response, Survey
from app.models.types import utcnow
from app.services import community as community_settings


def figure(html: str, id_: str) -> str:
    found = re.search(rf'id="{id_}"><span class="(?:report|stat-box)-number">([^<]*)<', html)
    assert found, id_
    return found.group(1)


def answered(app, survey_id, question_id, text, *, user_id=None, may_quote=False) -> str:
    with app.app_context():
        response = Response(survey_id=survey_id, user_id=user_id, may_quote=may_quote)
        db.session.add(response)
        db.session.flush()
        db.session.add(Answer(response_id=response.id, question_id=question_id, text=text))
        db.session.commit()
        return f"{response.id}-{question_id}"


def test_the_report_says_what_the_dashboard_says(app, client, auth, community):
    """`community` (tests/web/hand_made.py) has events, meetings, surveys and NPS."""
    auth.login("host@example.org")
    for query in ("days=365", "days=30", "start=2020-01-01&end=2030-01-01"):
        dashboard = client.get(f"/dashboard?{query}").text
        report = client.get(f"/people/report?{query}").text
        pairs = {
            "members-total": "report-members-total",
            "members-joined": "report-members-joined",
            "members-active-share": "report-members-active",
            "events-count": "report-events-count",
            "events-attendance": "report-events-attendance",
            "meetings-held": "report-meetings-held",
            "meetings-met": "report-meetings-met",
            "meetings-cross-sector": "report-meetings-cross-sector",
            "feedback-nps": "report-nps",
            "introductions-made": "report-introductions-made",
        }
        for on_dashboard, in_report in pairs.items():
            assert figure(dashboard, on_dashboard) == figure(report, in_report), (query, in_report)


def test_a_period_that_ends_before_it_starts_is_refused_clearly(app, client, auth, make_user):
    auth.login(make_user("Марія Менеджерка", role="admin", locale="en"))
    page = client.get("/people/report?start=2026-05-10&end=2026-05-01").text
    assert "The end date comes before the start date." in page
    assert 'value="2026-05-10"' in page and 'value="2026-05-01"' in page  # kept as typed


def test_quotes_only_from_answers_that_may_be_quoted(app, client, auth, make_user, make_event):
    member = make_user("Олена Коваль")
    event = make_event(
        starts_at=utcnow() - timedelta(days=3), ends_at=utcnow() - timedelta(days=3, hours=-2)
    )
    with app.app_context():
        survey = Survey(event_id=event.id, title="Як пройшла зустріч", opens_at=utcnow())
        survey.questions = [Question(kind="text", text="Що запам'ятали?")]
        db.session.add(survey)
        db.session.commit()
        survey_id, question_id = survey.id, survey.questions[0].id
    agreed = answered(app, survey_id, question_id, "Познайомилася з людьми з бізнесу, дуже цінно.",
                      user_id=member.id, may_quote=True)  # fmt: skip
    anonymous = answered(app, survey_id, question_id, "Найкраща зустріч цього року, дякую!")
    private = answered(app, survey_id, question_id, "Особисте: не хочу, щоб це цитували.",
                       user_id=member.id)  # fmt: skip
    auth.login(make_user("Марія Менеджерка", role="admin"))
    page = client.get("/people/report?days=30").text
    chooser = page[page.index('id="choose-quotes"') :]
    assert "Познайомилася з людьми" in chooser and "Найкраща зустріч" in chooser
    assert "Особисте" not in page
    chosen = client.get(f"/people/report?days=30&quote={agreed}&quote={private}").text
    quotes = chosen[chosen.index('id="report-quotes"') : chosen.index('id="choose-quotes"')]
    assert "Познайомилася з людьми" in quotes and "Олена" not in quotes
    assert "Особисте" not in chosen  # a forged choice of a private answer is dropped

    pdf = client.get(f"/people/report.pdf?days=30&quote={agreed}&quote={anonymous}")
    assert pdf.mimetype == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf.data, capture_output=True, check=True
    ).stdout.decode()
    with app.app_context():
        name = community_settings.load().name_uk
    assert name in text
    assert "Познайомилася з людьми з бізнесу" in text and "Найкраща зустріч" in text
    assert "Особисте" not in text


def test_the_pdf_and_csv_carry_the_same_figures(app, client, auth, community):
    auth.login("host@example.org")  # who reads English
    page = client.get("/people/report?days=365").text
    sheet = client.get("/people/report.csv?days=365").text.lstrip("\ufeff")
    rows = list(csv.reader(io.StringIO(sheet)))
    assert rows[0] == ["Figure", "Value"]
    values = dict(rows[1:])
    assert values["Members"] == figure(page, "report-members-total")
    assert values["Events"] == figure(page, "report-events-count")
    assert values["Meetings held"] == figure(page, "report-meetings-held")
    assert values["NPS"] == figure(page, "report-nps")
    pdf = client.get("/people/report.pdf?days=365").data
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Impact report" in text and "Members and growth" in text
    assert re.search(rf"\b{figure(page, 'report-nps')}\b", text)
