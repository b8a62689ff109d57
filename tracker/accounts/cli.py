"""flask --app app users …: manage sign-in accounts from the command line (an account is named by its email)."""
from __future__ import annotations

import secrets

import click
from flask.cli import AppGroup
from sqlmodel import Session

from tracker.accounts import operations, queries
from tracker.accounts.emails import send_link
from tracker.auth.models import ROLES, User
from tracker.db import write_session
from tracker.validation import InvalidInput

users_cli = AppGroup("users", help="Sign-in accounts: create, invite, list, change role or parties, deactivate.")

EMAIL = click.argument("email")


def _account(session: Session, email: str) -> User:
    user = session.exec(queries.user_by_email(email)).first()
    if user is None:
        raise click.ClickException(f"no account has the address {email}")
    return user


def _party_ids(session: Session, keys: tuple[str, ...]) -> list[int]:
    """Parties named by short name or id; a ClickException names every one that matches none."""
    found, unknown = [], []
    for key in keys:
        for part in (k for k in key.split(",") if k.strip()):
            party = session.exec(queries.party_by_id_or_short_name(part)).first()
            if party is None:
                unknown.append(part.strip())
            elif party.id not in found:
                found.append(party.id)
    if unknown:
        raise click.ClickException(f"no party has the short name or id: {', '.join(unknown)}")
    return found


def _run(write):
    """Run one write in its own transaction; an InvalidInput becomes a clear command-line error."""
    try:
        with write_session() as session:
            return write(session)
    except InvalidInput as error:
        raise click.ClickException(str(error)) from None


PARTY_OPTION = click.option("--party", "parties", multiple=True, metavar="SHORT_NAME_OR_ID",
                            help="A party the account may see (repeat, or separate with commas).")
ALL_PARTIES_OPTION = click.option("--all-parties", is_flag=True,
                                  help="A viewer sees every party (without it, only the --party ones).")


@users_cli.command("create")
@click.option("--email", required=True, help="Sign-in address.")
@click.option("--name", "display_name", required=True, help="Name shown in the history of records.")
@click.option("--role", type=click.Choice(ROLES), default="admin", show_default=True)
@click.option("--password", default=None, help="At least 12 characters; prompted for when omitted.")
@click.option("--generate-password", is_flag=True, help="Make a random password and print it.")
@PARTY_OPTION
@ALL_PARTIES_OPTION
def create_command(email, display_name, role, password, generate_password, parties, all_parties) -> None:
    """Create an account with a password (the first admin, for instance)."""
    if generate_password:
        password = secrets.token_urlsafe(16)
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)

    def write(session):
        return operations.create_user(session, email=email, display_name=display_name, password=password, role=role,
                                      party_ids=_party_ids(session, parties),
                                      all_parties=True if all_parties else None).email

    address = _run(write)
    click.echo(f"created {role} {address}" + (f" with password {password}" if generate_password else ""))


@users_cli.command("invite")
@click.option("--email", required=True, help="Address the invitation goes to; the account signs in with it.")
@click.option("--name", "display_name", required=True, help="Name shown in the history of records.")
@click.option("--role", type=click.Choice(ROLES), default="viewer", show_default=True)
@PARTY_OPTION
@ALL_PARTIES_OPTION
def invite_command(email, display_name, role, parties, all_parties) -> None:
    """Create an account without a password and email it a link to choose one (valid 7 days, once)."""
    issued = _run(lambda session: operations.invite_user(
        session, email=email, display_name=display_name, role=role, party_ids=_party_ids(session, parties),
        all_parties=True if all_parties else None))
    _report_sent(issued, "invitation")


@users_cli.command("list")
@click.option("--all", "include_inactive", is_flag=True, help="Deactivated accounts too.")
def list_command(include_inactive: bool) -> None:
    """Accounts with their role, the parties they see, state and last sign-in."""
    with write_session() as session:
        users = [u for u in session.exec(queries.all_users()) if include_inactive or u.active]
        scopes: dict[int, list[str]] = {}
        for user_id, party in session.exec(queries.parties_of_users([u.id for u in users])):
            scopes.setdefault(user_id, []).append(party.short_name or party.name)
        for user in users:
            if user.can_edit or not user.limited_to_parties:
                sees = "every party"
            else:
                sees = ", ".join(scopes.get(user.id, [])) or "nothing (no party)"
            state = "deactivated" if not user.active else ("invited" if not user.password_hash else "active")
            last = user.last_signed_in_at.strftime("%Y-%m-%d %H:%M UTC") if user.last_signed_in_at else "never"
            click.echo(f"{user.email}\t{user.display_name}\t{user.role}\t{state}\tsees: {sees}\tlast sign-in: {last}")


@users_cli.command("set-role")
@EMAIL
@click.argument("role", type=click.Choice(ROLES))
def set_role_command(email: str, role: str) -> None:
    """Make the account admin, editor or viewer."""
    _run(lambda session: operations.set_role(session, _account(session, email), role))
    click.echo(f"{email} is now {role}")


@users_cli.command("set-parties")
@EMAIL
@click.argument("parties", nargs=-1, metavar="[SHORT_NAME_OR_ID]...")
@ALL_PARTIES_OPTION
def set_parties_command(email: str, parties: tuple[str, ...], all_parties: bool) -> None:
    """Limit a viewer to these parties (none given: it sees nothing), or let it see --all-parties."""
    if all_parties and parties:
        raise click.UsageError("give parties or --all-parties, not both")

    def write(session):
        ids = _party_ids(session, parties)
        operations.set_parties(session, _account(session, email), ids, all_parties=all_parties)
        return ids

    ids = _run(write)
    click.echo(f"{email} sees " + ("every party" if all_parties else
                                    f"{len(ids)} part{'y' if len(ids) == 1 else 'ies'}" if ids else "no party"))


@users_cli.command("deactivate")
@EMAIL
def deactivate_command(email: str) -> None:
    """Stop the account: its sessions, API tokens and emailed links stop working at once."""
    _run(lambda session: operations.deactivate_user(session, _account(session, email)))
    click.echo(f"{email} is deactivated")


@users_cli.command("reactivate")
@EMAIL
def reactivate_command(email: str) -> None:
    """Let a deactivated account sign in again."""
    _run(lambda session: operations.reactivate_user(session, _account(session, email)))
    click.echo(f"{email} is active again")


@users_cli.command("reset-password")
@EMAIL
@click.option("--password", default=None, help="Set this password now instead of emailing a link.")
def reset_password_command(email: str, password: str | None) -> None:
    """Email the account a link to choose a new password (valid 2 hours, once), or set one with --password."""
    if password is not None:
        _run(lambda session: operations.set_password(session, _account(session, email), password))
        click.echo(f"password of {email} changed; its sessions are ended")
        return

    _report_sent(_run(lambda session: operations.issue_link(session, _account(session, email), "reset")),
                 "password reset link")


def _report_sent(issued: operations.IssuedLink, what: str) -> None:
    if send_link(issued):
        click.echo(f"{what} sent to {issued.user.email} (valid until {issued.expires_at:%Y-%m-%d %H:%M} UTC)")
    else:
        raise click.ClickException(f"the {what} for {issued.user.email} could not be sent; see the log, then run "
                                   "this command again")
