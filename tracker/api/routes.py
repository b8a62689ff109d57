"""Read-only JSON: parties, letters, commitments, with the same visibility rules as the pages (tracker.access):
the id of a related record the caller may not see is given as null.

Lists take `limit` (1–500, default 100) and `offset`; a bad parameter gives 400 {"error": ..., "parameter": ...}.
Each list costs a fixed number of statements: the page itself and one query per kind of related record.
"""
from __future__ import annotations


from flask import Blueprint, current_app, jsonify, request

from tracker import access, clock, validation
from tracker.api import serialisers
from tracker.commitments.queries import CommitmentFilters, filtered
from tracker.dashboards import related
from tracker.db import get_session
from tracker.letters.queries import LetterFilters
from tracker.letters.queries import filtered as letter_filtered
from tracker.parties.queries import all_parties
from tracker.validation import InvalidInput

blueprint = Blueprint("api", __name__, url_prefix="/api")

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@blueprint.errorhandler(InvalidInput)
def _bad_parameter(error: InvalidInput):
    return jsonify(error=str(error), parameter=error.field), 400


def _whole_number(name: str, default: int, lowest: int, highest: int | None = None) -> int:
    return validation.query_number(request.args, name, default, lowest,
                                   validation.MAX_ID if highest is None else highest)


def _page():
    return _whole_number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), _whole_number("offset", 0, 0)


def _paginated(session, statement, limit: int, offset: int):
    # One row more than asked tells whether there is a next page without counting the whole table.
    rows = list(session.exec(statement.offset(offset).limit(limit + 1)))
    return rows[:limit], len(rows) > limit


def _envelope(items, limit: int, offset: int, more: bool):
    return jsonify(items=items, limit=limit, offset=offset, next_offset=offset + limit if more else None)


@blueprint.route("/parties")
def parties():
    session = get_session()
    limit, offset = _page()
    rows, more = _paginated(session, all_parties(access.current_viewer()), limit, offset)
    return _envelope([serialisers.party(p) for p in rows], limit, offset, more)


@blueprint.route("/letters")
def letters():
    session = get_session()
    limit, offset = _page()
    statement = letter_filtered(LetterFilters.parse(request.args, access.current_viewer()), clock.today_in())
    rows, more = _paginated(session, statement, limit, offset)
    participants = related.letter_participants(session, rows)
    may_see_party = access.current_viewer().may_see_party
    return _envelope([serialisers.letter(letter, participants[letter.id], may_see_party) for letter in rows],
                     limit, offset, more)


@blueprint.route("/commitments")
def commitments():
    session = get_session()
    limit, offset = _page()
    viewer = access.current_viewer()
    filters = CommitmentFilters.parse(request.args, viewer)
    today = clock.today_in()
    within = current_app.config["DUE_SOON_DAYS"]
    statement = filtered(filters, today, within)
    rows, more = _paginated(session, statement, limit, offset)
    parties = related.commitment_parties(session, rows)
    people = related.commitment_people(session, rows)
    shown = {**related.visible_references(session, viewer, rows), "party": viewer.may_see_party}
    return _envelope([serialisers.commitment(c, parties[c.id], people, today, within, shown) for c in rows],
                     limit, offset, more)
