"""Commitment pages: the filtered list, a record page with its forms, the new-commitment form, parse-due JSON."""
from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from tracker import access, clock, events, history, validation
from tracker.commitments import operations, queries
from tracker.commitments.forms import (CommitmentForm, DetailsForm, ProgressForm, RescheduleForm,
                                      impossible_date_message, resolve_window)
from tracker.commitments.models import KINDS as KINDS_OF_COMMITMENT
from tracker.commitments.models import STATUSES, Commitment, replacement_named, slip_days, timing
from tracker.commitments.owners import letter_sides, suggested_owner
from tracker.dashboards.related import commitment_parties, commitment_people
from tracker.db import get_session
from tracker.exchange.commitment_rows import exported_columns
from tracker.exchange.records import commitment_records, in_batches
from tracker.export import spreadsheet
from tracker.letters.models import Letter
from tracker.meetings import operations as meeting_operations
from tracker.meetings.models import Meeting
from tracker.parties.models import Person
from tracker.phases import operations as phase_operations
from tracker.phases import queries as phase_queries
from tracker.phases import related as phase_related
from tracker.phases.forms import CommitmentPhaseForm, phase_choices
from tracker.phases.models import display_name
from tracker.pickers.forms import labels_of
from tracker.pickers.queries import KINDS, typed_id
from tracker.validation import InvalidInput
from tracker.web import editor_required, save_or_report

blueprint = Blueprint("commitments", __name__, url_prefix="/commitments")

FILTER_STATES = STATUSES + queries.DERIVED_STATES


def _due_soon_days() -> int:
    return int(current_app.config["DUE_SOON_DAYS"])


def _page_number(args) -> int:
    return validation.query_number(args, "page", 1)


@blueprint.route("/")
def index():
    session = get_session()
    viewer = access.current_viewer()
    size = int(current_app.config["PAGE_SIZE"])
    try:
        page = _page_number(request.args)
        filters = queries.CommitmentFilters.parse(request.args, viewer).planned(session, page * size + 1)
    except InvalidInput as error:
        return render_template("error.html", code=400, message=str(error)), 400
    today = clock.today_in()
    statement = queries.filtered(filters, today, _due_soon_days()).offset((page - 1) * size).limit(size + 1)
    commitments = list(session.exec(statement))
    has_next = len(commitments) > size
    commitments = commitments[:size]
    sides = commitment_parties(session, commitments)
    people = commitment_people(session, commitments)
    rows = [dict(commitment=c, made_by=sides[c.id]["by"], made_to=sides[c.id]["to"], owner=people.get(c.owner_id),
                 timing=timing(c, today, _due_soon_days()), slip=slip_days(c)) for c in commitments]
    args = {k: v for k, v in request.args.items() if k != "page" and v}
    return render_template("commitments/index.html", rows=rows, filters=filters, page=page, has_next=has_next,
                           args=args, states=FILTER_STATES, phases=list(session.exec(phase_queries.all_phases())),
                           chosen_party=labels_of(KINDS["parties"], [filters.party_id]).get(filters.party_id),
                           chosen_owner=labels_of(KINDS["owners"], [filters.owner_id]).get(filters.owner_id))


@blueprint.route("/export.csv")
def export_csv():
    """The filtered commitments list as CSV."""
    return _export("csv")


@blueprint.route("/export.xlsx")
def export_xlsx():
    """The filtered commitments list as an Excel workbook."""
    return _export("xlsx")


def _export(file_format: str):
    """The filtered list as CSV or Excel (same filters and access rules as the page), capped at EXPORT_MAX_ROWS."""
    session = get_session()
    try:
        filters = queries.CommitmentFilters.parse(request.args, access.current_viewer())
    except InvalidInput as error:
        return render_template("error.html", code=400, message=str(error)), 400
    today, cap = clock.today_in(), int(current_app.config["EXPORT_MAX_ROWS"])
    due_soon_days, base_url = _due_soon_days(), current_app.config["BASE_URL"]
    statement = queries.filtered(filters.planned(session, cap), today, due_soon_days).limit(cap)
    records = in_batches(session, statement,
                         lambda batch: commitment_records(session, batch, today, due_soon_days, base_url))
    columns = exported_columns(phase_related.in_use(session))
    return spreadsheet(records, columns, file_format, "commitments", today)


# --- writing -------------------------------------------------------------------------------------------------

def check_references(session, **ids) -> None:
    """Ids from selects must name existing records (a stale page or a crafted post may not)."""
    models = {"source_letter_id": Letter, "source_meeting_id": Meeting, "due_anchor_meeting_id": Meeting,
              "speaker_id": Person, "owner_id": Person}
    for field, value in ids.items():
        if value is not None and session.get(models[field], value) is None:
            raise InvalidInput(f"there is no record with id {value} for {field.replace('_id', '').replace('_', ' ')}",
                               field)


def meeting_day(meeting: Meeting) -> date:
    """The day a meeting started, in its own timezone."""
    return meeting.starts_at.astimezone(ZoneInfo(meeting.timezone)).date()


def written_on_for(session, letter_id: int | None, meeting_id: int | None) -> date:
    """The day a due phrase was written: its letter's date, else its meeting's first day, else today."""
    if letter_id is not None:
        letter = session.get(Letter, letter_id)
        if letter is not None:
            return letter.sent_on
    if meeting_id is not None:
        meeting = session.get(Meeting, meeting_id)
        if meeting is not None:
            return meeting_day(meeting)
    return clock.today_in()


def _computed_window(session, phrase: str, written_on: date):
    return operations.compute_window(session, phrase, written_on, current_app.config.get("DATE_ORDER", "MDY"))


def _window_of_form(session, form, written_on: date) -> operations.Window:
    computed = _computed_window(session, form.due_phrase.data, written_on)
    return resolve_window(form.due_phrase.data or "", form.due_earliest.data, form.due_latest.data,
                          form.due_precision.data or "", form.due_anchor_meeting_id.data, computed,
                          meeting_operations.anchor_meeting_ids(session, named_in=form.due_phrase.data or ""))


def prefill_of_query(session, args) -> dict:
    """The new-commitment form's first values from the query string (the letter page's link, or any typed URL).

    kind, source_letter_id, made_by and made_to (each may repeat) and owner. A source letter the viewer may not
    see answers 404, as the letter itself does; parties and an owner the viewer may not see, and anything that is
    not an id, are left out. Without an owner, the owner rule (tracker.commitments.owners) suggests one from the
    letter's signatories and the parties' default owners.
    """
    viewer = access.current_viewer()
    data: dict = {}
    kind = args.get("kind") if args.get("kind") in KINDS_OF_COMMITMENT else "promise"
    data["kind"] = kind
    sides = None
    if args.get("source_letter_id"):
        letter = access.get_visible(session, viewer, Letter, typed_id(args["source_letter_id"]))
        if letter is None:
            abort(404)
        data["source_letter_id"] = letter.id
        sides = letter_sides(session, letter.id)
    for side in ("made_by", "made_to"):
        wanted = [i for i in (typed_id(value) for value in args.getlist(side)) if i is not None]
        visible = labels_of(KINDS["parties"], wanted)
        data[side] = [i for i in dict.fromkeys(wanted) if i in visible]
    owner = typed_id(args.get("owner") or "")
    if owner is None:
        owner = suggested_owner(session, kind, made_by=data["made_by"], made_to=data["made_to"],
                                by_people=sides.by_people if sides else (),
                                to_people=sides.to_people if sides else ())
    # Only someone the owner picker itself would offer this viewer.
    if owner is not None and owner in labels_of(KINDS["owners"], [owner]):
        data["owner_id"] = owner
    return data


@blueprint.route("/new", methods=["GET", "POST"])
@editor_required
def new():
    session = get_session()
    form = CommitmentForm() if request.method == "POST" else CommitmentForm(data=prefill_of_query(session,
                                                                                                   request.args))

    def write():
        check_references(session, source_letter_id=form.source_letter_id.data,
                          source_meeting_id=form.source_meeting_id.data,
                          due_anchor_meeting_id=form.due_anchor_meeting_id.data,
                          speaker_id=form.speaker_id.data, owner_id=form.owner_id.data)
        written_on = written_on_for(session, form.source_letter_id.data, form.source_meeting_id.data)
        return operations.make_commitment(
            session, kind=form.kind.data, title=form.title.data, quote=form.quote.data or "",
            window=_window_of_form(session, form, written_on), made_by=form.made_by.data,
            made_to=form.made_to.data, source_letter_id=form.source_letter_id.data,
            source_meeting_id=form.source_meeting_id.data, speaker_id=form.speaker_id.data,
            owner_id=form.owner_id.data, actor=events.Actor.of(current_user))

    saved = form.validate_on_submit() and save_or_report(
        form, write, lambda commitment: f"Recorded the {commitment.kind} “{commitment.title}”.")
    if saved:
        return redirect(url_for("commitments.show", commitment_id=saved.value.id))
    return render_template("commitments/new.html", form=form), 400 if form.is_submitted() else 200


@blueprint.route("/parse-due")
@editor_required
def parse_due_json():
    """The window a phrase denotes, for the form's live preview."""
    session = get_session()
    phrase = (request.args.get("phrase") or "").strip()
    try:
        letter_id = _optional_int(request.args, "source_letter_id")
        meeting_id = _optional_int(request.args, "source_meeting_id")
        raw = (request.args.get("written_on") or "").strip()
        written_on = validation.iso_date(raw, "written_on") if raw else written_on_for(session, letter_id, meeting_id)
    except InvalidInput as error:
        return jsonify(error=str(error), field=error.field), 400
    computed = _computed_window(session, phrase, written_on)
    if computed is None:
        impossible = impossible_date_message(phrase)
        extra = {"impossible": impossible} if impossible else {}
        return jsonify(found=False, phrase=phrase, written_on=written_on.isoformat(), **extra)
    anchor_id = (meeting_operations.anchor_meeting_ids(session, named_in=phrase).get(computed.anchor)
                 if computed.anchor else None)
    return jsonify(found=True, phrase=computed.phrase, written_on=written_on.isoformat(),
                   earliest=computed.earliest.isoformat() if computed.earliest else None,
                   latest=computed.latest.isoformat() if computed.latest else None,
                   precision=computed.precision, anchor=computed.anchor, anchor_meeting_id=anchor_id)


def _optional_int(args, name: str) -> int | None:
    return validation.query_number(args, name, lowest=0)


# --- the record page -----------------------------------------------------------------------------------------

def _load(commitment_id: int) -> Commitment:
    session = get_session()
    commitment = session.exec(queries.by_id(commitment_id, access.current_viewer())).first()
    if commitment is None:
        abort(404)
    return commitment


def _window_data(commitment: Commitment) -> dict:
    return dict(due_phrase=commitment.due_phrase, due_earliest=commitment.due_earliest,
                due_latest=commitment.due_latest, due_precision=commitment.due_precision,
                due_anchor_meeting_id=commitment.due_anchor_meeting_id)


def _replacement_id(session, commitment: Commitment) -> int | None:
    """The commitment that replaces a superseded one, as its latest supersession named it; None otherwise."""
    if commitment.status != "superseded":
        return None
    event = session.exec(queries.last_supersession(commitment.id, until=clock.viewing_as_of())).first()
    return replacement_named(event.kind, event.data) if event is not None else None


def _render_show(commitment: Commitment, status: int = 200, **forms):
    session = get_session()
    viewer = access.current_viewer()
    today = clock.today_in()
    sides = commitment_parties(session, [commitment])[commitment.id]

    def related(model, record_id):
        # A related record is named and linked only when the viewer may see it on its own.
        return access.get_visible(session, viewer, model, record_id)

    context = dict(commitment=commitment, made_by=sides["by"], made_to=sides["to"],
                   timing=timing(commitment, today, _due_soon_days()), slip=slip_days(commitment),
                   owner=related(Person, commitment.owner_id), speaker=related(Person, commitment.speaker_id),
                   letter=related(Letter, commitment.source_letter_id),
                   meeting=related(Meeting, commitment.source_meeting_id),
                   anchor=related(Meeting, commitment.due_anchor_meeting_id),
                   evidence_letter=related(Letter, commitment.evidence_letter_id),
                   evidence_meeting=related(Meeting, commitment.evidence_meeting_id),
                   replacement=related(Commitment, _replacement_id(session, commitment)),
                   reschedules=list(session.exec(queries.reschedules_of(commitment.id))),
                   events=history.timeline(session, viewer, "commitment", commitment.id))
    # Phases show only once the admin has defined some for this kind.
    phases = list(session.exec(phase_queries.of_kind(commitment.kind)))
    current_phase = next((p for p in phases if p.id == commitment.phase_id), None)
    context.update(phases_shown=bool(phases), phase_name=display_name(current_phase))
    if current_user.can_edit and (phases or "phase_form" in forms):
        phase_form = forms.get("phase_form")
        if phase_form is None:
            phase_form = CommitmentPhaseForm(formdata=None, data={"phase_id": str(commitment.phase_id or "")})
        phase_form.phase_id.choices = phase_choices(phases, commitment.phase_id)
        forms = dict(forms, phase_form=phase_form)
    if current_user.can_edit:
        defaults = dict(
            reschedule_form=RescheduleForm(formdata=None, data=_window_data(commitment)),
            progress_form=ProgressForm(formdata=None, data=dict(
                status=commitment.status, progress=commitment.progress, fulfilled_on=commitment.fulfilled_on,
                evidence_url=commitment.evidence_url or "", outcome=commitment.outcome,
                replaced_by_id=context["replacement"].id if context["replacement"] else None)),
            details_form=DetailsForm(formdata=None, data=dict(
                title=commitment.title, quote=commitment.quote, owner_id=commitment.owner_id,
                made_by=[p.id for p in sides["by"]], made_to=[p.id for p in sides["to"]])))
        defaults.update(forms)
        context.update(defaults)
    return render_template("commitments/show.html", **context), status


@blueprint.route("/<int:commitment_id>")
def show(commitment_id: int):
    return _render_show(_load(commitment_id))


@blueprint.route("/<int:commitment_id>/reschedule", methods=["POST"])
@editor_required
def reschedule(commitment_id: int):
    session = get_session()
    commitment = _load(commitment_id)
    form = RescheduleForm()

    def write():
        check_references(session, due_anchor_meeting_id=form.due_anchor_meeting_id.data)
        # A new phrase is written today, when the window is moved.
        window = _window_of_form(session, form, clock.today_in())
        operations.reschedule(session, commitment, window, reason=form.reason.data, actor=events.Actor.of(current_user))

    if form.validate() and save_or_report(form, write, "Rescheduled; the earlier window is kept in the history."):
        return redirect(url_for("commitments.show", commitment_id=commitment.id))
    return _render_show(_load(commitment_id), 400, reschedule_form=form)


@blueprint.route("/<int:commitment_id>/progress", methods=["POST"])
@editor_required
def progress(commitment_id: int):
    session = get_session()
    commitment = _load(commitment_id)
    form = ProgressForm()
    if form.validate() and save_or_report(form, lambda: operations.update_progress(
            session, commitment, status=form.status.data, progress=form.progress.data,
            fulfilled_on=form.fulfilled_on.data, evidence_url=(form.evidence_url.data or "").strip() or None,
            outcome=form.outcome.data, replaced_by_id=form.replaced_by_id.data, actor=events.Actor.of(current_user),
            viewer=access.current_viewer()), "Progress recorded."):
        return redirect(url_for("commitments.show", commitment_id=commitment.id))
    return _render_show(_load(commitment_id), 400, progress_form=form)


@blueprint.route("/<int:commitment_id>/phase", methods=["POST"])
@editor_required
def phase(commitment_id: int):
    session = get_session()
    commitment = _load(commitment_id)
    form = CommitmentPhaseForm()

    def write():
        raw = (form.phase_id.data or "").strip()
        try:
            # Empty (or 0): in no phase.
            phase_id = (validation.form_id(raw) or None) if raw else None
        except ValueError:
            raise InvalidInput("choose a phase from the list", "phase_id") from None
        return phase_operations.place_commitment(session, commitment, phase_id, actor=events.Actor.of(current_user))

    if form.validate() and save_or_report(form, write, lambda moved: "Phase saved." if moved
                                          else "It was already in that phase."):
        return redirect(url_for("commitments.show", commitment_id=commitment.id))
    return _render_show(_load(commitment_id), 400, phase_form=form)


@blueprint.route("/<int:commitment_id>/details", methods=["POST"])
@editor_required
def details(commitment_id: int):
    session = get_session()
    commitment = _load(commitment_id)
    form = DetailsForm()

    def write():
        check_references(session, owner_id=form.owner_id.data)
        operations.update_details(session, commitment, title=form.title.data, quote=form.quote.data or "",
                                  owner_id=form.owner_id.data, made_by=form.made_by.data,
                                  made_to=form.made_to.data, actor=events.Actor.of(current_user))

    if form.validate() and save_or_report(form, write, "Details saved."):
        return redirect(url_for("commitments.show", commitment_id=commitment.id))
    return _render_show(_load(commitment_id), 400, details_form=form)
