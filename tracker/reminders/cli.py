"""`flask digest preview|send-due`, `flask scheduler` (runs until stopped) and `flask serve` (dev server,
no reloader, with the scheduler in-process when RUN_SCHEDULER_IN_PROCESS is set)."""
from __future__ import annotations

import logging
import signal
import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from werkzeug.serving import run_simple

from tracker import clock
from tracker.db import database
from tracker.reminders import jobs, operations
from tracker.reminders.render import compose_email

digest_cli = AppGroup("digest", help="Reminder digests: preview one, or run one sending pass by hand.")


def _log_to_stderr() -> None:
    logger = logging.getLogger("tracker.reminders")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@digest_cli.command("preview")
@click.option("--to", "email", required=True, help="The recipient's email address.")
@click.option("--html", is_flag=True, help="Print the HTML part instead of the text part.")
def preview_command(email: str, html: bool) -> None:
    """Print the digest this person would get now (nothing is stored or sent)."""
    session = database().new_session()
    try:
        content = operations.preview(session, email)
        if content is None:
            raise click.ClickException(f"nobody with the address {email} is known")
        message = compose_email(content, period="preview", now=clock.now())
    finally:
        session.rollback()
        session.close()
    click.echo(f"To: {message.to[0]}\nSubject: {message.subject}\n")
    click.echo(message.html if html else message.text)
    if not content.should_send:
        click.echo("(nothing to say: this digest would not be sent, the recipient asked for no empty digests)")


@digest_cli.command("send-due")
@click.option("--dry-run", is_flag=True, help="Show who would get a digest now; store and send nothing.")
def send_due_command(dry_run: bool) -> None:
    """Run one pass: emit due-soon/overdue events, plan the digests due now, deliver pending ones."""
    _log_to_stderr()
    if dry_run:
        _dry_run()
        return
    report = jobs.run_pass(current_app._get_current_object())
    click.echo(report.summary())


def _dry_run() -> None:


    session = database().new_session()
    try:
        operations.ensure_owner_recipients(session, int(current_app.config["DIGEST_DUE_SOON_DAYS"]))
        grace = timedelta(hours=int(current_app.config["DIGEST_GRACE_HOURS"]))
        rows = operations.plan_due_digests(session, grace=grace, now=clock.now())
        for row in rows:
            click.echo(f"{row['to_address']}  {row['period']}  {row['state']:8}  {row['subject']}")
        click.echo(f"dry run: {len(rows)} digest(s) would be planned; nothing stored or sent")
    finally:
        session.rollback()
        session.close()


@click.command("scheduler", help="Run the reminder scheduler until stopped (Ctrl-C / SIGTERM); logs each run.")
@with_appcontext
def scheduler_command() -> None:
    _log_to_stderr()
    app = current_app._get_current_object()
    from tracker.reminders import scheduler  # APScheduler: for the scheduler commands, not in web workers

    blocking = scheduler.blocking(app)

    def stop(_signum, _frame):
        blocking.shutdown(wait=False)

    signal.signal(signal.SIGTERM, stop)
    click.echo("reminder scheduler running: " + ", ".join(spec.id for spec in scheduler.JOBS), err=True)
    try:
        blocking.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    click.echo("reminder scheduler stopped", err=True)


@click.command("serve", help="Development server on http://127.0.0.1:5000, no reloader.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def serve_command(host: str, port: int) -> None:
    app = current_app._get_current_object()
    background = None
    if app.config.get("RUN_SCHEDULER_IN_PROCESS"):
    
        _log_to_stderr()
        from tracker.reminders import scheduler  # APScheduler, as above

        background = scheduler.background(app)
        background.start()
        click.echo("reminder scheduler running in this process", err=True)
    try:
        # No reloader: it would start a second process with a second scheduler. (app.run() refuses to run
        # inside the flask command, hence werkzeug's server directly.)
        run_simple(host, port, app, use_reloader=False, use_debugger=app.debug, threaded=True)
    finally:
        if background is not None:
            background.shutdown(wait=False)
