import click


@click.command("intake", help="Read letters, emails and transcripts (not built yet).")
@click.argument("files", nargs=-1)
def intake_command(files):
    raise click.ClickException("not built yet")
