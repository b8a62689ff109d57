from __future__ import annotations

import secrets

import click
from flask.cli import AppGroup

from tracker.auth import operations
from tracker.db import write_session

users_cli = AppGroup("users", help="Sign-in accounts.")


@users_cli.command("create")
@click.option("--email", required=True, help="Sign-in address.")
@click.option("--name", "display_name", required=True, help="Name shown in the history of records.")
@click.option("--role", type=click.Choice(["admin", "editor", "viewer"]), default="admin", show_default=True)
@click.option("--password", default=None, help="At least 10 characters; prompted for when omitted.")
@click.option("--generate-password", is_flag=True, help="Make a random password and print it.")
def create_command(email: str, display_name: str, role: str, password: str | None, generate_password: bool) -> None:
    """Create an account (the first admin, for instance)."""
    if generate_password:
        password = secrets.token_urlsafe(12)
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with write_session() as session:
            user = operations.create_user(session, email=email, display_name=display_name,
                                          password=password, role=role)
            address = user.email
    except operations.AccountError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"created {role} {address}" + (f" with password {password}" if generate_password else ""))
