"""flask commands: demo seed, users create, members import, coffee run, levels compute,
telegram set-webhook / poll, worker."""

import logging
import time

import click
import sqlalchemy as sa
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app import LOG_FORMAT
from app.extensions import db
from app.models import Role, User
from app.models.types import utcnow
from app.services import accounts, coffee, demo, duties, levels, telegram
from app.services.errors import DomainError
from app.services.telegram import polling
from app.services.telegram.client import TelegramError, bot_from_config

demo_cli = AppGroup("demo", help="Demo data.")
users_cli = AppGroup("users", help="Manage accounts.")
coffee_cli = AppGroup("coffee", help="Random coffee.")
members_cli = AppGroup("members", help="Bring the existing community in.")
levels_cli = AppGroup("levels", help="Engagement levels.")
telegram_cli = AppGroup("telegram", help="The community's Telegram bot.")


@members_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Only say what the import would do.")
@click.option("--keep-accounts", is_flag=True, help="Leave existing accounts as they are.")
def members_import(path, dry_run, keep_accounts):
    """The admin page's import from the command line: columns guessed from the header,
    unknown sectors created, invitations queued; prints the counts."""
    from pathlib import Path

    from app.services.errors import DomainError
    from app.services.imports import checking, running

    admin = db.session.scalar(sa.select(User).where(User.role == "admin").order_by(User.id))
    if admin is None:
        raise click.ClickException("Create an admin first: flask users create … --role admin")
    file = Path(path)
    try:
        with current_app.test_request_context():  # messages in the default language
            job = running.upload(file.read_bytes(), file.name, admin)
            job.update_existing = not keep_accounts
            preview = checking.check_rows(job.header, job.rows, job.mapping, job.update_existing)
            columns = ", ".join(f"{job.header[int(i)]} → {f}" for i, f in job.mapping.items())
            click.echo(f"Columns: {columns}")
            for row in preview.with_problems[:20]:
                click.echo(f"  row {row.number}: {' '.join(row.problems)}")
            counts = {a: preview.count(a) for a in ("invite", "update", "unchanged", "skip")}
            click.echo(", ".join(f"{action}: {count}" for action, count in counts.items()))
            if dry_run:
                db.session.rollback()
                click.echo("Dry run: nothing saved.")
                return
            running.start(job)
            running.run(job)
            db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from error
    click.echo(f"Imported: {job.counts}. The worker sends the invitations.")


@coffee_cli.command("run")
def coffee_run():
    """Run a random coffee round now, whatever the weekday."""
    report = coffee.run_coffee_round()
    db.session.commit()
    if report.round is None:
        click.echo("Fewer than two people are due for coffee; no round.")
    else:
        click.echo(f"Coffee round {report.round.number}: {report.groups} meetings.")


@levels_cli.command("compute")
def levels_compute():
    """Compute everyone's level now, as the worker does once a day (this month's snapshot)."""
    count = levels.snapshot()
    db.session.commit()
    click.echo(f"Levels computed for {count} members.")


def _bot():
    if not telegram.enabled():
        raise click.ClickException("Set TELEGRAM_BOT_TOKEN and TELEGRAM_BOT_USERNAME first.")
    return bot_from_config()


@telegram_cli.command("set-webhook")
def telegram_set_webhook():
    """Have Telegram deliver the bot's updates to this site (needs public HTTPS)."""
    if not current_app.config["TELEGRAM_WEBHOOK_SECRET"]:
        raise click.ClickException("Set TELEGRAM_WEBHOOK_SECRET first: Telegram sends it back.")
    try:
        url = polling.set_webhook(_bot())
    except TelegramError as error:
        raise click.ClickException(f"Telegram refused: {error}") from error
    click.echo(f"Telegram now delivers updates to {url}")


@telegram_cli.command("poll")
@click.option("--once", is_flag=True, help="Handle what is waiting, then stop.")
def telegram_poll(once):
    """Fetch the bot's updates by long polling, for a site without public HTTPS."""
    bot = _bot()
    while True:
        try:
            handled = polling.poll_once(bot, wait_seconds=0 if once else 30)
        except TelegramError as error:
            if once:
                raise click.ClickException(f"Telegram did not answer: {error}") from error
            logging.getLogger("spilno.telegram").warning("poll: %s", error)
            time.sleep(error.retry_after or 5)
            continue
        if once:
            click.echo(f"Handled {handled} updates.")
            return


@demo_cli.command("seed")
@click.option("--members", default=300, show_default=True, help="How many members to create.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
@click.option("--seed", "random_seed", default=2026, show_default=True, help="Random seed.")
def demo_seed(members, if_empty, random_seed):
    """Fill the database with a realistic cross-sector community."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        if if_empty:
            click.echo("The database already has people in it; no demo data added.")
            return
        raise click.ClickException("The database is not empty; demo data goes into an empty one.")
    with click.progressbar(length=members, label="Creating members") as bar:
        summary = demo.seed_demo_community(members=members, seed=random_seed, progress=bar.update)
    db.session.commit()
    demo.refresh_planner_statistics()
    click.echo(
        f"Created {summary.members} members in {summary.sectors} sectors, "
        f"{summary.events} events with {summary.registrations} registrations, "
        f"{summary.meetings} meetings and {summary.responses} survey responses. "
        f"Log in as {demo.ADMIN_EMAIL}, {demo.HOST_EMAIL} or {demo.MEMBER_EMAIL} "
        f"with the password {demo.DEMO_PASSWORD!r}."
    )


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value)
@click.option("--locale", type=click.Choice(["uk", "en"]), default="uk")
def users_create(email, name, password, role, locale):
    """Create an account (for example the first admin)."""
    if len(password) < 8:
        raise click.BadParameter("use at least 8 characters", param_hint="--password")
    try:
        user = accounts.create_user(
            email=email, name=name, password=password, locale=locale, role=Role(role)
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@click.command("worker")
@with_appcontext
@click.option("--once", is_flag=True, help="Run every duty once and exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes.")
def worker(once, interval):
    """Deliver mail and run whatever is due, forever (or --once)."""
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    while True:
        with current_app.app_context():  # each pass reads the settings afresh (its own `g`)
            duties.run_duties(utcnow())
        if once:
            break
        time.sleep(interval)


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(members_cli)
    app.cli.add_command(coffee_cli)
    app.cli.add_command(levels_cli)
    app.cli.add_command(telegram_cli)
    app.cli.add_command(worker)
