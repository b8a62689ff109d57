"""Spreadsheets both ways: import commitments or letters from .xlsx/.csv with a preview (staff).

Every sheet in operations.SHEETS gets the same two routes: /import/<name> (upload → preview) and
/import/<name>/apply (check again → apply), endpoints exchange.<name> and exchange.apply_<name>.
"""
from __future__ import annotations

import base64
import binascii

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_login import current_user

from tracker import clock
from tracker.db import get_session
from tracker.events import Actor
from tracker.exchange import operations
from tracker.exchange.forms import ApplyForm, ImportForm
from tracker.exchange.operations import SHEETS, ImportSettings, Sheet
from tracker.exchange.read import read_table
from tracker.validation import InvalidInput
from tracker.web import editor_required

blueprint = Blueprint("exchange", __name__, url_prefix="/import")


def upload(sheet: Sheet):
    """Upload → a preview of what every row would do; nothing is written yet."""
    form = ImportForm()
    if form.validate_on_submit():
        received = form.file.data
        if received is None or not received.filename:
            form.file.errors = ["choose a .xlsx or .csv file"]
        else:
            data = received.read(_max_bytes() + 1)
            try:
                preview = _preview(sheet, received.filename, data)
            except InvalidInput as error:
                form.file.errors = [str(error)]
            else:
                confirm = ApplyForm(filename=received.filename, payload=base64.b64encode(data).decode("ascii"))
                return render_template("exchange/preview.html", preview=preview, confirm=confirm, sheet=sheet,
                                       filename=received.filename)
    return render_template("exchange/import.html", form=form, sheet=sheet, max_bytes=_max_bytes(),
                           max_rows=_max_rows()), 400 if form.errors else 200


def apply(sheet: Sheet):
    """Check every row again and apply the valid ones, in one transaction."""
    form = ApplyForm()
    if not form.validate_on_submit():
        return redirect(url_for(f"exchange.{sheet.name}"))
    try:
        data = base64.b64decode(form.payload.data or "", validate=True)
    except (binascii.Error, ValueError):
        flash("The confirmation did not carry the file: upload it again.")
        return redirect(url_for(f"exchange.{sheet.name}"))
    filename = (form.filename.data or "import.csv")[:200]
    session = get_session()
    try:
        preview = _preview(sheet, filename, data)
        counts = operations.apply(session, preview, filename, _settings(), Actor.of(current_user))
    except InvalidInput as error:
        session.rollback()
        flash(f"Nothing was imported: {error}")
        return redirect(url_for(f"exchange.{sheet.name}"))
    session.commit()
    flash(f"Imported {filename}: {counts['create']} created, {counts['update']} updated, "
          f"{counts['unchanged']} unchanged, {counts['rejected']} rejected (not imported).")
    return redirect(url_for(f"{sheet.name}.index"))


def _register(sheet: Sheet) -> None:
    @editor_required
    def upload_view():
        return upload(sheet)

    @editor_required
    def apply_view():
        return apply(sheet)

    blueprint.add_url_rule(f"/{sheet.name}", sheet.name, upload_view, methods=["GET", "POST"])
    blueprint.add_url_rule(f"/{sheet.name}/apply", f"apply_{sheet.name}", apply_view, methods=["POST"])


for _sheet in SHEETS.values():
    _register(_sheet)


def _preview(sheet: Sheet, filename: str, data: bytes) -> operations.Preview:
    if len(data) > _max_bytes():
        raise InvalidInput(f"the file is larger than {_max_bytes() // 1024:,} KB; split it", "file")
    table = read_table(filename, data, _max_rows())
    return operations.prepare(get_session(), sheet, table, _settings())


def _settings() -> ImportSettings:
    config = current_app.config
    return ImportSettings(clock.today_in(), config["DATE_ORDER"], int(config["REPLY_BY_DAYS"]))


def _max_bytes() -> int:
    return int(current_app.config["IMPORT_MAX_BYTES"])


def _max_rows() -> int:
    return int(current_app.config["IMPORT_MAX_ROWS"])
