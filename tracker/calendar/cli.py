from __future__ import annotations

import click
from flask import current_app, url_for
from flask.cli import AppGroup

from tracker.auth.queries import user_by_email
from tracker.calendar import operations
from tracker.db import write_session

calendar_cli = AppGroup("calendar", help="Private calendar feeds (iCalendar) of commitments, meetings and closes.")


def _user(session, email: str):
    user = session.exec(user_by_email(email)).first()
    if user is None:
        raise click.ClickException(f"no account has the address {email}")
    return user


@calendar_cli.command("feed-url")
@click.option("--email", required=True, help="The account's sign-in address.")
@click.option("--replace", is_flag=True, help="Make a new address; the old one stops working.")
def feed_url_command(email: str, replace: bool) -> None:
    """Print the account's private feed address (issued on first use)."""
    with write_session() as session:
        user = _user(session, email)
        if not user.active:
            raise click.ClickException(f"the account {user.email} is deactivated")
        feed = (operations.replace_feed if replace else operations.feed_for)(session, user)
        token = feed.token
    with current_app.test_request_context():
        click.echo(current_app.config["BASE_URL"].rstrip("/") + url_for("calendar.feed", token=token))


@calendar_cli.command("revoke")
@click.option("--email", required=True, help="The account's sign-in address.")
def revoke_command(email: str) -> None:
    """Stop the account's feed address."""
    with write_session() as session:
        revoked = operations.revoke_feed(session, _user(session, email))
    click.echo("revoked" if revoked else "there was no feed address")
