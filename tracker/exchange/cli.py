from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from tracker import clock
from tracker.db import write_session
from tracker.exchange import operations
from tracker.exchange.operations import SHEETS, ImportSettings, Sheet
from tracker.exchange.read import read_table
from tracker.validation import InvalidInput

import_cli = AppGroup("import", help="Import records from spreadsheets (.xlsx or .csv).")


def run_import(sheet: Sheet, path: Path, dry_run: bool) -> None:
    """Create (rows without id) and update (rows with id) records; print created / updated / unchanged /
    rejected counts and why each rejected row was refused. Valid rows are applied in one transaction."""
    config = current_app.config
    limit = int(config["IMPORT_MAX_BYTES"])
    if path.stat().st_size > limit:
        raise click.ClickException(f"{path} is larger than the import limit ({limit:,} bytes)")
    settings = ImportSettings(clock.today_in(), config["DATE_ORDER"], int(config["REPLY_BY_DAYS"]))
    try:
        table = read_table(path.name, path.read_bytes(), int(config["IMPORT_MAX_ROWS"]))
        with write_session() as session:
            preview = operations.prepare(session, sheet, table, settings)
            for plan in preview.plans:
                if plan.action == "rejected":
                    problems = "; ".join(f"{column}: {message}" for column, message in plan.errors.items())
                    click.echo(f"row {plan.number}: rejected — {problems}", err=True)
            counts = preview.counts if dry_run else operations.apply(session, preview, path.name, settings)
            if dry_run:
                session.rollback()
    except InvalidInput as error:
        raise click.ClickException(str(error)) from None
    click.echo(("dry run, nothing changed: " if dry_run else "") +
               f"created {counts['create']}, updated {counts['update']}, unchanged {counts['unchanged']}, "
               f"rejected {counts['rejected']}")


def _command(sheet: Sheet) -> click.Command:
    @click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--dry-run", is_flag=True, help="Check every row and print what would happen; change nothing.")
    def command(path: Path, dry_run: bool) -> None:
        run_import(sheet, path, dry_run)

    command.__doc__ = (f"Import {sheet.name} from FILE: rows with an id update that {sheet.columns.record}, rows "
                       f"without create one; prints created / updated / unchanged / rejected counts.")
    return import_cli.command(sheet.name)(command)


for _sheet in SHEETS.values():
    _command(_sheet)
