import click
from flask.cli import AppGroup

digest_cli = AppGroup("digest", help="Reminder digests (not built yet).")


@click.command("scheduler", help="Run the reminder scheduler until stopped (not built yet).")
def scheduler_command():
    raise click.ClickException("not built yet")


@click.command("serve", help="Development server on http://127.0.0.1:5000, no reloader.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(host: str, port: int):
    from flask import current_app

    current_app.run(host=host, port=port, use_reloader=False, threaded=True)
