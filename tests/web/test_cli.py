import email
import email.policy
import re
import subprocess
import sys
from pathlib import Path

from werkzeug.security import check_password_hash

from app.models import OutboxMessage, Sector, User
from app.services import demo

UKRAINIAN_NAME = re.compile(r"^[А-ЩЬЮЯҐЄІЇа-щьюяґєії'’ʼ-]+ [А-ЩЬЮЯҐЄІЇа-щьюяґєії'’ʼ-]+$")


def test_users_create_makes_an_admin(runner, database):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Boss@Example.org",
            "--name",
            "Оксана Коваленко",
            "--password",
            "long-enough-pass",
            "--role",
            "admin",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Created admin boss@example.org" in result.output
    [user] = database.all(User)
    assert (user.email, user.role, user.name) == ("boss@example.org", "admin", "Оксана Коваленко")
    assert check_password_hash(user.password_hash, "long-enough-pass")


def test_users_create_refuses_a_taken_email_and_a_short_password(runner, make_user, database):
    make_user(email="taken@example.org")
    taken = runner.invoke(
        args=["users", "create", "taken@example.org", "--name", "X", "--password", "12345678"]
    )
    short = runner.invoke(
        args=["users", "create", "new@example.org", "--name", "X", "--password", "short"]
    )
    assert taken.exit_code != 0 and "вже існує" in taken.output
    assert short.exit_code != 0 and database.count(User) == 1


def test_demo_seed_builds_a_cross_sector_community(runner, database):
    result = runner.invoke(args=["demo", "seed", "--members", "60"])
    assert result.exit_code == 0, result.output
    assert "Creating members" in result.output  # the progress bar's label
    members = database.all(User)
    assert len(members) == 60
    assert len(database.all(Sector)) == len(demo.data.SECTORS)
    assert {m.role for m in members} >= {"admin", "host", "member"}
    assert all(UKRAINIAN_NAME.match(m.name) for m in members), [m.name for m in members]
    assert len({m.sector_id for m in members}) >= 6
    assert len({m.city for m in members}) >= 4
    assert all(m.organisation and m.interests and m.offers and m.asks for m in members)
    assert len({m.email for m in members}) == 60
    # Introductions of every kind, the demo member's among them, and nobody mailed about them.
    from app.models import Introduction

    kinds = {i.status for i in database.all(Introduction)}
    assert kinds == {"accepted", "proposed", "declined", "requested"}


def test_demo_seed_leaves_a_database_with_people_alone(runner, make_user, database):
    make_user()
    quiet = runner.invoke(args=["demo", "seed", "--members", "10", "--if-empty"])
    loud = runner.invoke(args=["demo", "seed", "--members", "10"])
    assert quiet.exit_code == 0 and loud.exit_code != 0
    assert database.count(User) == 1


def test_demo_accounts_can_log_in(runner, client, auth):
    runner.invoke(args=["demo", "seed", "--members", "5"])
    response = auth.login(demo.ADMIN_EMAIL, demo.DEMO_PASSWORD)
    assert response.location == "/"
    assert client.get("/admin/").status_code == 200


def test_worker_once_delivers_the_outbox(app, runner, client, make_user, database, tmp_path):
    user = make_user()
    client.post("/auth/reset", data={"email": user.email})
    app.config["MAIL_BACKEND"] = "file"
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    [message] = database.all(OutboxMessage)
    assert message.sent_at is not None
    [eml] = (tmp_path / "mail").glob("*.eml")
    parsed = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert parsed["To"] == user.email
    assert "http://spilno.test/auth/reset/" in parsed.get_body(("plain",)).get_content()


def test_the_workers_first_run_on_the_demo_community_mails_nobody(runner, database):
    runner.invoke(args=["demo", "seed", "--members", "60"])
    queued_by_seed = database.count(OutboxMessage)
    result = runner.invoke(args=["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert database.count(OutboxMessage) == queued_by_seed  # no invitations, no reminders


# Libraries only some pages or jobs use: printing, spreadsheets, QR codes, Telegram.
LOADED_WHERE_USED = ("weasyprint", "openpyxl", "segno", "httpx")


def test_loading_the_app_does_not_load_what_only_some_work_needs():
    """Every `flask` command and the worker load the app: a library that only printing, an
    import, a QR code or Telegram needs is loaded when that happens, not before."""
    loaded = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from app import create_app; create_app('test');"
            f" print(sorted({{m.split('.')[0] for m in sys.modules}} & {set(LOADED_WHERE_USED)}))",
        ],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert loaded.stdout.strip() == "[]"


def test_members_import_from_the_command_line(runner, make_user, database, tmp_path):
    from app.models import Invitation
    from tests.member_lists import GOOGLE_FORMS_HEADER, csv_bytes, google_forms_rows

    make_user("Олена Адмін", role="admin", email="admin@example.org")
    path = tmp_path / "responses.csv"
    path.write_bytes(csv_bytes(GOOGLE_FORMS_HEADER, google_forms_rows(5)))
    dry = runner.invoke(args=["members", "import", str(path), "--dry-run"])
    assert "invite: 5" in dry.output and "Dry run" in dry.output
    assert database.count(Invitation) == 0
    done = runner.invoke(args=["members", "import", str(path)])
    assert done.exit_code == 0 and "'invited': 5" in done.output
    assert database.count(Invitation) == 5
    again = runner.invoke(args=["members", "import", str(path)])
    assert "'invited': 0" in again.output and database.count(Invitation) == 5
    path.write_bytes(b"")
    empty = runner.invoke(args=["members", "import", str(path)])
    assert empty.exit_code != 0 and "рядків" in empty.output


def test_levels_compute_keeps_this_months_snapshot(runner, make_user, database):
    from app.models import LevelSnapshot

    make_user("Новенька")
    result = runner.invoke(args=["levels", "compute"])
    assert result.exit_code == 0 and "Levels computed for 1 members." in result.output
    [snapshot] = database.all(LevelSnapshot)
    assert snapshot.level == "newcomer"
