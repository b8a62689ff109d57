"""The JSON API: lists and single records of every kind, and writes for letters and commitments, with the same
visibility rules as the pages (tracker.access): a record the caller may not see is a 404, and the id of a
related record the caller may not see is given as null. The OpenAPI document is at /api/openapi.json.

Lists take `limit` (1–500, default 100) and either `cursor` (from the previous page's `next_cursor`, or
follow `next`) or `offset`; a bad parameter gives 400 {"error": ..., "parameter": ...}. Each list costs a
fixed number of statements: the page itself and one query per kind of related record.

Every read takes `as_of=YYYY-MM-DD` (tracker.snapshots): the record as it stood at the end of that day. Such an
answer says so: a list's envelope carries `as_of` (the day; null for today's record) and every answer given a
day carries the `Memento-Datetime` header of RFC 7089, the last second of that day. Today's answers carry no
such header.

Writes are for staff (403 otherwise) and call the same operations as the forms, so they validate the same
way (400 {"error": ..., "field": ...}, nothing saved) and record the same events. Scripts send a bearer
token; a browser session may write too, but then with the CSRF token in an X-CSRFToken header, since the
cookie alone would let another site's page post here.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import Blueprint, abort, current_app, jsonify, request, url_for
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from pydantic import BaseModel, ValidationError

from werkzeug.http import http_date

from tracker import access, clock, events, snapshots, validation
from tracker.accounts.bearer import presented_token, token_limit
from tracker.auth.throttle import limiter
from tracker.api import queries, schemas, serialisers, spec
from tracker.api.spec import PAGE, Parameter, documented, page
from tracker.commitments import operations as commitment_operations
from tracker.commitments.forms import resolve_window
from tracker.commitments.models import Commitment
from tracker.commitments.queries import DERIVED_STATES, CommitmentFilters, filtered
from tracker.commitments.routes import check_references, written_on_for
from tracker.phases import operations as phase_operations
from tracker.phases.related import phases_of
from tracker.consultations import queries as consultation_queries
from tracker.consultations.models import CommentPeriod
from tracker.dashboards import related
from tracker.db import get_session
from tracker.letters import operations as letter_operations
from tracker.letters.forms import parse_letter_date
from tracker.letters.models import DIRECTIONS, REPLY_FILTERS, Letter
from tracker.letters.queries import LetterFilters
from tracker.letters.queries import filtered as letter_filtered
from tracker.meetings import queries as meeting_queries
from tracker.meetings.operations import anchor_meeting_ids
from tracker.meetings.models import Meeting
from tracker.parties.models import Party, Person
from tracker.parties.queries import all_parties, roles_of_person
from tracker.validation import MAX_ID, InvalidInput
from tracker.web import csrf

blueprint = Blueprint("api", __name__, url_prefix="/api")
token_limit(limiter)(blueprint)
# The cookie-borne CSRF check of the pages does not fit a bearer token; _check_csrf below decides instead.
csrf.exempt(blueprint)

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@blueprint.errorhandler(InvalidInput)
def _bad_parameter(error: InvalidInput):
    return jsonify(error=str(error), parameter=error.field), 400


@blueprint.before_request
def _check_csrf():
    """A write with a session cookie must carry the CSRF token; one with a bearer token need not: a browser
    never adds an Authorization header by itself, and another site's page cannot add one without a CORS
    preflight, which this app never grants."""
    config = current_app.config
    if (request.method in config["WTF_CSRF_METHODS"] and config.get("WTF_CSRF_ENABLED", True)
            and presented_token() is None):
        csrf.protect()


# Paging ----------------------------------------------------------------------------------------------------

def _whole_number(name: str, default: int, lowest: int, highest: int | None = None) -> int:
    return validation.query_number(request.args, name, default, lowest, MAX_ID if highest is None else highest)


def _cursors(keyset: queries.Keyset) -> URLSafeSerializer:
    # Signed, so a cursor is only ever one this API gave out, for this list.
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"api-cursor:{keyset.name}")


def _encode(value):
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _decode(value, kind: type):
    if kind is date:
        return date.fromisoformat(value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    return kind(value)


def _position(keyset: queries.Keyset, cursor: str) -> tuple:
    try:
        values = _cursors(keyset).loads(cursor)
        return tuple(_decode(value, key.kind) for value, key in zip(values, keyset.keys, strict=True))
    except (BadSignature, TypeError, ValueError):
        raise InvalidInput("cursor: not a cursor of this list (use the next_cursor of the previous page)",
                           "cursor") from None


def _rows_asked() -> int:
    """How many rows of a list _paged reads: past the offset, one page and one more (a cursor starts the list at
    its position, so it skips nothing)."""
    limit = _whole_number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    cursor = (request.args.get("cursor") or "").strip()
    return limit + 1 + (0 if cursor else _whole_number("offset", 0, 0))


def _paged(session, statement, keyset: queries.Keyset, serialise):
    """One page of a list statement (ordered by the keyset's keys), as the envelope every list answers with.

    serialise(rows) → items. One row more than asked tells whether there is a next page without counting.
    """
    limit = _whole_number("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    cursor = (request.args.get("cursor") or "").strip()
    if cursor and (request.args.get("offset") or "").strip():
        raise InvalidInput("offset: give either a cursor or an offset, not both", "offset")
    offset = None if cursor else _whole_number("offset", 0, 0)
    if cursor:
        statement = statement.where(queries.after(keyset, _position(keyset, cursor)))
    else:
        statement = statement.offset(offset)
    rows = list(session.exec(statement.limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    next_cursor = (_cursors(keyset).dumps([_encode(v) for v in keyset.position_of(rows[-1])])
                   if more else None)
    following = None
    if next_cursor:
        arguments = {k: v for k, v in request.args.items() if k not in ("offset", "cursor")}
        following = url_for(request.endpoint, **request.view_args, **arguments, cursor=next_cursor)
    return jsonify(items=serialise(rows), limit=limit, offset=offset,
                   next_offset=offset + limit if more and offset is not None else None,
                   next_cursor=next_cursor, next=following, as_of=_shown_day())


# The record as of a day --------------------------------------------------------------------------------------

def _shown_day() -> str | None:
    """The day the answer shows the record as of (YYYY-MM-DD), or None for today's record."""
    as_of = snapshots.current()
    return as_of.day.isoformat() if as_of is not None else None


MEMENTO_DATETIME = "Memento-Datetime"


@blueprint.after_request
def _state_the_day(response):
    """An answer given as_of names the moment it shows (RFC 7089): the end of that day, to the second. The API
    document is the same on every day, so it is no memento of one."""
    as_of = snapshots.current()
    if as_of is not None and 200 <= response.status_code < 300 and request.endpoint != "api.openapi":
        response.headers[MEMENTO_DATETIME] = http_date(as_of.last_moment)
    return response


# Reading ---------------------------------------------------------------------------------------------------

def _viewer():
    return access.current_viewer()


def _visible_or_404(model, record_id: int):
    record = access.get_visible(get_session(), _viewer(), model, record_id)
    if record is None:
        abort(404, "There is no such record.")
    return record


COMMITMENT_FILTERS = PAGE + (
    Parameter("party", {"type": "integer", "minimum": 0, "maximum": MAX_ID}, "Involving this party"),
    Parameter("side", {"type": "string", "enum": ["by", "to"]}, "With party: made by it, or made to it"),
    Parameter("kind", {"type": "string", "enum": list(schemas.KINDS)}),
    Parameter("status", {"type": "string", "enum": list(schemas.STATUSES + DERIVED_STATES)},
              "A status or a derived state (overdue, due_soon, needs_decision, done_late, active)"),
    Parameter("owner", {"type": "integer", "minimum": 0, "maximum": MAX_ID}),
    Parameter("due_before", {"type": "string", "format": "date"}, "Latest day on or before"),
    Parameter("due_after", {"type": "string", "format": "date"}, "Latest day on or after"),
    Parameter("phase", {"type": "integer", "minimum": 0, "maximum": MAX_ID}, "Sits in this phase"),
)
LETTER_FILTERS = PAGE + (
    Parameter("party", {"type": "integer", "minimum": 0, "maximum": MAX_ID}, "Involving this party"),
    Parameter("direction", {"type": "string", "enum": list(DIRECTIONS)}),
    Parameter("reply_state", {"type": "string", "enum": list(REPLY_FILTERS)},
              "A stored reply state, or late (awaiting a reply past its reply-by day)"),
    Parameter("q", {"type": "string", "maxLength": 200}, "Words in the subject"),
    Parameter("sent_after", {"type": "string", "format": "date"}),
    Parameter("sent_before", {"type": "string", "format": "date"}),
)


@blueprint.route("/parties")
@documented("List parties", response=page(schemas.Party), query=PAGE)
def parties():
    statement = all_parties(_viewer()).order_by(Party.id)
    return _paged(get_session(), statement, queries.PARTIES, lambda rows: [serialisers.party(p) for p in rows])


@blueprint.route("/parties/<int:party_id>")
@documented("Get a party", response=schemas.PartyDetail)
def party(party_id: int):
    return jsonify(serialisers.party_detail(_visible_or_404(Party, party_id)))


@blueprint.route("/people")
@documented("List people", response=page(schemas.Person), query=PAGE)
def people():
    return _paged(get_session(), queries.people(_viewer()), queries.PEOPLE,
                  lambda rows: [serialisers.person(p) for p in rows])


@blueprint.route("/people/<int:person_id>")
@documented("Get a person, with their roles in parties you may see", response=schemas.PersonDetail)
def person(person_id: int):
    viewer = _viewer()
    record = _visible_or_404(Person, person_id)
    roles = list(get_session().exec(roles_of_person(record.id, viewer)))
    return jsonify(serialisers.person_detail(record, roles, viewer.may_see_party))


def _letter_items(session, rows) -> list[dict]:
    participants = related.letter_participants(session, rows)
    return [serialisers.letter(letter, participants[letter.id], _viewer().may_see_party) for letter in rows]


@blueprint.route("/letters")
@documented("List letters, newest first", response=page(schemas.Letter), query=LETTER_FILTERS)
def letters():
    session = get_session()
    filters = LetterFilters.parse(request.args, _viewer()).planned(session, _rows_asked())
    statement = letter_filtered(filters, clock.today_in())
    return _paged(session, statement, queries.LETTERS, lambda rows: _letter_items(session, rows))


def _letter_answer(session, letter: Letter, status: int = 200):
    participants = related.letter_participants(session, [letter])
    return jsonify(serialisers.letter_detail(letter, participants[letter.id], _viewer().may_see_party)), status


@blueprint.route("/letters/<int:letter_id>")
@documented("Get a letter", response=schemas.LetterDetail)
def letter(letter_id: int):
    session = get_session()
    return _letter_answer(session, _visible_or_404(Letter, letter_id))


def _commitment_items(session, rows) -> list[dict]:
    viewer = _viewer()
    today, within = clock.today_in(), current_app.config["DUE_SOON_DAYS"]
    parties_by_commitment = related.commitment_parties(session, rows)
    people_by_id = related.commitment_people(session, rows)
    shown = {**related.visible_references(session, viewer, rows), "party": viewer.may_see_party}
    phases = phases_of(session, rows)
    return [serialisers.commitment(c, parties_by_commitment[c.id], people_by_id, today, within, shown, phases)
            for c in rows]



@blueprint.route("/commitments")
@documented("List commitments, most urgent first", response=page(schemas.Commitment), query=COMMITMENT_FILTERS)
def commitments():
    session = get_session()
    filters = CommitmentFilters.parse(request.args, _viewer()).planned(session, _rows_asked())
    statement = filtered(filters, clock.today_in(), current_app.config["DUE_SOON_DAYS"])
    return _paged(session, statement, queries.COMMITMENTS, lambda rows: _commitment_items(session, rows))


def _commitment_answer(session, commitment: Commitment, status: int = 200):
    return jsonify(_commitment_items(session, [commitment])[0]), status


@blueprint.route("/commitments/<int:commitment_id>")
@documented("Get a commitment", response=schemas.Commitment)
def commitment(commitment_id: int):
    session = get_session()
    return _commitment_answer(session, _visible_or_404(Commitment, commitment_id))


@blueprint.route("/meetings")
@documented("List meetings, latest first", response=page(schemas.Meeting), query=PAGE)
def meetings():
    return _paged(get_session(), queries.meetings(_viewer()), queries.MEETINGS,
                  lambda rows: [serialisers.meeting(m) for m in rows])


@blueprint.route("/meetings/<int:meeting_id>")
@documented("Get a meeting, with its participants and transcript", response=schemas.MeetingDetail)
def meeting(meeting_id: int):
    record = _visible_or_404(Meeting, meeting_id)
    participants = list(get_session().exec(meeting_queries.participants_of(record.id)))
    return jsonify(serialisers.meeting_detail(record, participants, _viewer().may_see_party))


@blueprint.route("/comment-periods")
@documented("List comment periods, latest first", response=page(schemas.CommentPeriod), query=PAGE)
def comment_periods():
    return _paged(get_session(), consultation_queries.listing(_viewer()), queries.COMMENT_PERIODS,
                  lambda rows: [serialisers.comment_period(period, close) for period, close, _count in rows])


@blueprint.route("/comment-periods/<int:period_id>")
@documented("Get a comment period, with its extensions and the submissions you may see",
            response=schemas.CommentPeriodDetail)
def comment_period(period_id: int):
    session = get_session()
    viewer = _viewer()
    record = _visible_or_404(CommentPeriod, period_id)
    extensions = list(session.exec(consultation_queries.extensions_of(record.id)))
    visible_letters = access.visible_ids(session, viewer, Letter, [e.requested_in_letter_id for e in extensions])
    return jsonify(serialisers.comment_period_detail(
        record, session.exec(consultation_queries.current_close_of(record.id)).one(), extensions, visible_letters,
        list(session.exec(consultation_queries.submissions_of(record.id, viewer))), viewer.may_see_party))


# Writing ---------------------------------------------------------------------------------------------------

def _staff_only() -> None:
    if not _viewer().may_edit():
        abort(403, "Only staff (admin, editor) may change records.")


class _Refused(Exception):
    """A request body that cannot be saved: answered 400 {"error", "field"}."""

    def __init__(self, message: str, field: str | None):
        super().__init__(message)
        self.field = field


@blueprint.errorhandler(_Refused)
def _refused(error: _Refused):
    return jsonify(error=str(error), field=error.field), 400


def _body(model: type[BaseModel]):
    """The JSON body, validated; the first problem is the answer."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise _Refused("send a JSON object (Content-Type: application/json)", None)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        field = ".".join(str(part) for part in first["loc"]) or None
        raise _Refused(f"{field}: {first['msg']}" if field else first["msg"], field) from None


def _save(write):
    """Run one write through its operation and commit; on InvalidInput nothing is kept (400 naming the field)."""
    session = get_session()
    try:
        value = write()
    except InvalidInput as error:
        session.rollback()
        raise _Refused(str(error), error.field) from None
    session.commit()
    return value


def _actor() -> events.Actor:
    return events.Actor.of(current_user)


def _letter_values(session, body: schemas.LetterIn) -> dict:
    """The operation's arguments, as the letter form builds them (titles left empty come from roles held)."""
    sent_on, precision = parse_letter_date(body.sent_on)
    participants = [letter_operations.ParticipantInput(p.role, party_id=p.party_id, person_id=p.person_id,
                                                       title=(p.title or "").strip() or None)
                    for p in body.participants]
    return dict(sent_on=sent_on, date_precision=precision, subject=body.subject, direction=body.direction,
                body=body.body, source_url=(body.source_url or "").strip() or None,
                participants=letter_operations.resolve_titles(session, participants, sent_on))


@blueprint.route("/letters", methods=["POST"])
@documented("Log a letter", body=schemas.LetterIn, response=schemas.LetterDetail, status=201, writes=True)
def create_letter():
    _staff_only()
    session = get_session()
    body = _body(schemas.LetterIn)
    letter = _save(lambda: letter_operations.log_letter(session, **_letter_values(session, body), actor=_actor()))
    return _letter_answer(session, letter, 201)


@blueprint.route("/letters/<int:letter_id>", methods=["PUT"])
@documented("Change a letter (every field, as the edit form does)", body=schemas.LetterIn,
            response=schemas.LetterDetail, writes=True)
def update_letter(letter_id: int):
    _staff_only()
    session = get_session()
    letter = _visible_or_404(Letter, letter_id)
    body = _body(schemas.LetterIn)
    _save(lambda: letter_operations.update_letter(session, letter, **_letter_values(session, body),
                                                  reply_by_days=current_app.config["REPLY_BY_DAYS"], actor=_actor()))
    return _letter_answer(session, letter)


def _window(session, body: schemas.DueWindowIn, written_on: date) -> commitment_operations.Window:
    """The due window the body means, decided as for the forms: the phrase parsed, typed dates winning."""
    check_references(session, due_anchor_meeting_id=body.due_anchor_meeting_id)
    return resolve_window(body.due_phrase, body.due_earliest, body.due_latest, body.due_precision or "",
                          body.due_anchor_meeting_id,
                          commitment_operations.compute_window(session, body.due_phrase, written_on,
                                                               current_app.config["DATE_ORDER"]),
                          anchor_meeting_ids(session, named_in=body.due_phrase or ""))


@blueprint.route("/commitments", methods=["POST"])
@documented("Record a commitment (a promise or a request)", body=schemas.CommitmentIn,
            response=schemas.Commitment, status=201, writes=True)
def create_commitment():
    _staff_only()
    session = get_session()
    body = _body(schemas.CommitmentIn)

    def write():
        check_references(session, source_letter_id=body.source_letter_id, source_meeting_id=body.source_meeting_id,
                         speaker_id=body.speaker_id, owner_id=body.owner_id)
        phase_id = phase_operations.chosen_phase_id(session, body.kind, body.phase)
        written_on = written_on_for(session, body.source_letter_id, body.source_meeting_id)
        made = commitment_operations.make_commitment(
            session, kind=body.kind, title=body.title, quote=body.quote, window=_window(session, body, written_on),
            made_by=body.made_by, made_to=body.made_to, source_letter_id=body.source_letter_id,
            source_meeting_id=body.source_meeting_id, speaker_id=body.speaker_id, owner_id=body.owner_id,
            actor=_actor())
        # As the commitment's page places it: the same event, history line and checks.
        phase_operations.place_commitment(session, made, phase_id, actor=_actor(), field="phase")
        return made

    return _commitment_answer(session, _save(write), 201)


@blueprint.route("/commitments/<int:commitment_id>", methods=["PUT"])
@documented("Change what a commitment is, who it binds and its phase", body=schemas.CommitmentDetailsIn,
            response=schemas.Commitment, writes=True)
def update_commitment(commitment_id: int):
    _staff_only()
    session = get_session()
    commitment = _visible_or_404(Commitment, commitment_id)
    body = _body(schemas.CommitmentDetailsIn)

    def write():
        check_references(session, owner_id=body.owner_id)
        moves = "phase" in body.model_fields_set
        phase_id = (phase_operations.chosen_phase_id(session, commitment.kind, body.phase, commitment.phase_id)
                    if moves else None)
        commitment_operations.update_details(session, commitment, title=body.title, quote=body.quote,
                                             owner_id=body.owner_id, made_by=body.made_by, made_to=body.made_to,
                                             actor=_actor())
        if moves:
            phase_operations.place_commitment(session, commitment, phase_id, actor=_actor(), field="phase")

    _save(write)
    return _commitment_answer(session, commitment)


@blueprint.route("/commitments/<int:commitment_id>/reschedule", methods=["POST"])
@documented("Move a commitment's due window (the baseline and the history keep the old ones)",
            body=schemas.RescheduleIn, response=schemas.Commitment, writes=True)
def reschedule_commitment(commitment_id: int):
    _staff_only()
    session = get_session()
    commitment = _visible_or_404(Commitment, commitment_id)
    body = _body(schemas.RescheduleIn)
    # A new phrase is written today, when the window is moved.
    _save(lambda: commitment_operations.reschedule(session, commitment, _window(session, body, clock.today_in()),
                                                   reason=body.reason, actor=_actor()))
    return _commitment_answer(session, commitment)


@blueprint.route("/commitments/<int:commitment_id>/progress", methods=["POST"])
@documented("Record a commitment's status and progress", body=schemas.ProgressIn, response=schemas.Commitment,
            writes=True)
def commitment_progress(commitment_id: int):
    _staff_only()
    session = get_session()
    commitment = _visible_or_404(Commitment, commitment_id)
    body = _body(schemas.ProgressIn)

    _save(lambda: commitment_operations.update_progress(
        session, commitment, status=body.status, progress=body.progress, fulfilled_on=body.fulfilled_on,
        evidence_url=(body.evidence_url or "").strip() or None, outcome=body.outcome,
        replaced_by_id=body.replaced_by_id, actor=_actor(), viewer=_viewer()))
    return _commitment_answer(session, commitment)


# The document ----------------------------------------------------------------------------------------------

@blueprint.route("/openapi.json")
@documented("This OpenAPI 3.1 document", public=True)
def openapi():
    cached = current_app.extensions.get("api_openapi")
    if cached is None:
        cached = current_app.extensions["api_openapi"] = spec.build(current_app)
    return jsonify(cached)
