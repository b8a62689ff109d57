from __future__ import annotations

import secrets
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.accounts import operations as account_operations
from tracker.db import write_session
from tracker.demo.load import already_loaded, load_sample_phases, load_sample_record

demo_cli = AppGroup("demo", help="The sample record (2010 DNS-CERT consultation) as demo data.")

DEMO_ACCOUNTS = (
    ("admin@example.org", "Demo admin", "admin", None),
    ("editor@example.org", "Demo policy staff", "editor", None),
    ("ccnso-viewer@example.org", "ccNSO viewer", "viewer", "ccnso"),
)


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds letters.")
@click.option("--no-accounts", is_flag=True, help="Load the record without the demo sign-in accounts.")
def load_command(if_empty: bool, no_accounts: bool) -> None:
    """Load the sample record (three letters, the Nairobi session, two comment periods, their commitments)."""
    with write_session() as session:
        if already_loaded(session):
            if if_empty:
                click.echo("the database already holds letters; sample record not loaded")
                return
            raise click.ClickException("the database already holds letters; load the sample record into an "
                                       "empty database (or pass --if-empty to skip quietly)")
        record = load_sample_record(session)
        phases_added = load_sample_phases(session, record)
        password = None
        if not no_accounts and not account_operations.first_admin_exists(session):
            # 16 random characters: well above the 12 the password policy asks for.
            password = secrets.token_urlsafe(12)
            for email, name, role, party_key in DEMO_ACCOUNTS:
                party_ids = [record.parties[party_key].id] if party_key else None
                account_operations.create_user(session, email=email, display_name=name, password=password,
                                               role=role, party_ids=party_ids)
    click.echo(f"loaded the sample record: {len(record.letters)} letters, {len(record.meetings)} meetings, "
               f"{len(record.comment_periods)} comment periods, {len(record.commitments)} commitments")
    if phases_added:
        click.echo("defined the five public phases of the advice register for requests and placed the sample's "
                   "requests in them (Phases, under the admin's menu, to change them)")
    if password:
        login_file = Path(current_app.instance_path) / "dev-login.txt"
        login_file.parent.mkdir(parents=True, exist_ok=True)
        lines = [f"{email}  {password}  ({role})" for email, _n, role, _p in DEMO_ACCOUNTS]
        login_file.write_text("Development sign-in (demo data only)\n" + "\n".join(lines) + "\n", encoding="utf-8")
        login_file.chmod(0o600)
        click.secho("\nDevelopment sign-in (also in instance/dev-login.txt):", bold=True)
        for line in lines:
            click.echo("  " + line)
