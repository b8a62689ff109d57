"""Search everything a reader may see: /search?q=… with type, party and date filters."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, render_template, request, url_for
from markupsafe import Markup, escape

from tracker import validation
from tracker import access
from tracker.db import get_session
from tracker.parties import queries as party_queries
from tracker.parties.models import Party
from tracker.search import queries
from tracker.search.models import RECORD_TYPES
from tracker.validation import InvalidInput

blueprint = Blueprint("search", __name__)

PAGE_SIZE = 20
MAX_PAGE = 500
LINKS = {"letter": ("letters.detail", "letter_id"), "commitment": ("commitments.show", "commitment_id"),
         "meeting": ("meetings.show", "meeting_id"), "comment_period": ("consultations.show", "period_id"),
         "party": ("dashboards.party", "party_id"), "person": ("parties.person", "person_id")}


@blueprint.route("/search")
def index():
    session = get_session()
    args = request.args
    try:
        query = queries.read_query(args.get("q", ""))
        filters, party = _parse_filters(session, args)
        page = _page(args.get("page", ""))
    except InvalidInput as error:
        return render_template("search/index.html", error=str(error), typed=args.get("q", "")[:500], results=[],
                               types=RECORD_TYPES, args=args, party=None, page=1, has_next=False), 400
    results, has_next = [], False
    if query:
        dialect = session.get_bind().dialect.name
        rows = session.execute(queries.search(dialect, query, filters, PAGE_SIZE + 1, (page - 1) * PAGE_SIZE)).all()
        has_next, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
        results = [dict(type=row.record_type, label=RECORD_TYPES[row.record_type], title=row.title,
                        snippet=row.snippet, dated=row.dated, url=_link(row.record_type, row.record_id))
                   for row in rows]
    return render_template("search/index.html", error=None, typed=args.get("q", "")[:500], results=results,
                           types=RECORD_TYPES, args=args, party=party, page=page, has_next=has_next,
                           searched=bool(query))


def _parse_filters(session, args):
    chosen = tuple(dict.fromkeys(t for t in args.getlist("type") if t))
    for record_type in chosen:
        validation.choice(record_type, tuple(RECORD_TYPES), "type")
    viewer = access.current_viewer()
    party = _party(session, (args.get("party") or "").strip(), viewer)
    dated_from = validation.iso_date(args["from"], "from") if args.get("from") else None
    dated_to = validation.iso_date(args["to"], "to") if args.get("to") else None
    validation.window(dated_from, dated_to, "to")
    filters = queries.SearchFilters(record_types=chosen, dated_from=dated_from, dated_to=dated_to,
                                    viewer=viewer)
    return (replace(filters, party_id=party.id) if party else filters), party


def _party(session, typed: str, viewer):
    """A party by number, short name or name; one the reader may not see is as unknown as one that is not."""
    if not typed:
        return None
    if validation.is_ascii_number(typed):
        party = session.get(Party, int(typed)) if int(typed) <= validation.MAX_ID else None
    else:
        party = session.exec(party_queries.party_named(typed)).first()
    if party is None or not viewer.may_see_party(party.id):
        raise InvalidInput(f"no party is called {typed[:100]!r}", "party")
    return party


def _page(raw: str) -> int:
    return validation.whole_number(raw, "page", 1, MAX_PAGE) if raw.strip() else 1


def _link(record_type: str, record_id: int) -> str:
    endpoint, argument = LINKS[record_type]
    return url_for(endpoint, **{argument: record_id})


@blueprint.app_template_filter("marked")
def marked(text: str | None) -> Markup:
    """Search-engine text with match markers → escaped HTML with <mark> around the matches."""
    escaped = str(escape(text or ""))
    return Markup(escaped.replace(queries.MARK_START, "<mark>").replace(queries.MARK_END, "</mark>"))

