"""Spreadsheets both ways: import commitments from .xlsx/.csv with a preview (staff)."""
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
from tracker.exchange.plan import COLUMNS
from tracker.exchange.read import read_table
from tracker.validation import InvalidInput
from tracker.web import editor_required

blueprint = Blueprint("exchange", __name__, url_prefix="/import")


@blueprint.route("/commitments", methods=["GET", "POST"])
@editor_required
def commitments():
    """Upload → a preview of what every row would do; nothing is written yet."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        if upload is None or not upload.filename:
            form.file.errors = ["choose a .xlsx or .csv file"]
        else:
            data = upload.read(_max_bytes() + 1)
            try:
                preview = _preview(upload.filename, data)
            except InvalidInput as error:
                form.file.errors = [str(error)]
            else:
                confirm = ApplyForm(filename=upload.filename, payload=base64.b64encode(data).decode("ascii"))
                return render_template("exchange/preview.html", preview=preview, confirm=confirm,
                                       filename=upload.filename, columns=COLUMNS)
    return render_template("exchange/import.html", form=form, columns=COLUMNS, max_bytes=_max_bytes(),
                           max_rows=_max_rows()), 400 if form.errors else 200


@blueprint.route("/commitments/apply", methods=["POST"])
@editor_required
def apply_commitments():
    """Check every row again and apply the valid ones, in one transaction."""
    form = ApplyForm()
    if not form.validate_on_submit():
        return redirect(url_for("exchange.commitments"))
    try:
        data = base64.b64decode(form.payload.data or "", validate=True)
    except (binascii.Error, ValueError):
        flash("The confirmation did not carry the file: upload it again.")
        return redirect(url_for("exchange.commitments"))
    filename = (form.filename.data or "import.csv")[:200]
    session = get_session()
    try:
        preview = _preview(filename, data)
        counts = operations.apply(session, preview, filename, Actor.of(current_user))
    except InvalidInput as error:
        session.rollback()
        flash(f"Nothing was imported: {error}")
        return redirect(url_for("exchange.commitments"))
    session.commit()
    flash(f"Imported {filename}: {counts['create']} created, {counts['update']} updated, "
          f"{counts['unchanged']} unchanged, {counts['rejected']} rejected (not imported).")
    return redirect(url_for("commitments.index"))


def _preview(filename: str, data: bytes) -> operations.Preview:
    if len(data) > _max_bytes():
        raise InvalidInput(f"the file is larger than {_max_bytes() // 1024:,} KB; split it", "file")
    table = read_table(filename, data, _max_rows())
    return operations.prepare(get_session(), table, clock.today_in(), current_app.config["DATE_ORDER"])


def _max_bytes() -> int:
    return int(current_app.config["IMPORT_MAX_BYTES"])


def _max_rows() -> int:
    return int(current_app.config["IMPORT_MAX_ROWS"])

