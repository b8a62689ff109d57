"""Picker searches: /pick/<kind>?q=… answers at most SEARCH_LIMIT matches the viewer may see, as JSON."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from tracker import access
from tracker.db import get_session
from tracker.pickers import queries
from tracker.validation import InvalidInput

blueprint = Blueprint("pick", __name__, url_prefix="/pick")


def _answer(kind: queries.PickerKind):
    viewer = access.current_viewer()
    if kind.staff_only and not viewer.may_edit():
        abort(403)
    try:
        rows = queries.picked(get_session(), kind, viewer, request.args.get("q", ""))
    except InvalidInput as error:
        response = jsonify(error=str(error), results=[])
        response.status_code = 400
    else:
        response = jsonify(results=[kind.describe(row) for row in rows])
    response.headers["Cache-Control"] = "private, no-store"
    return response


@blueprint.route("/people")
def people():
    return _answer(queries.KINDS["people"])


@blueprint.route("/owners")
def owners():
    return _answer(queries.KINDS["owners"])


@blueprint.route("/parties")
def parties():
    return _answer(queries.KINDS["parties"])


@blueprint.route("/letters")
def letters():
    return _answer(queries.KINDS["letters"])


@blueprint.route("/meetings")
def meetings():
    return _answer(queries.KINDS["meetings"])


@blueprint.route("/commitments")
def commitments():
    return _answer(queries.KINDS["commitments"])
