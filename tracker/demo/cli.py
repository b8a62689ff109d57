import click
from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="The sample record (2010 DNS-CERT consultation) as demo data.")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds letters.")
def load_command(if_empty: bool) -> None:
    """Load the sample record."""
    raise click.ClickException("not built yet")
