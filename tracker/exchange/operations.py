"""Imports: read a spreadsheet, plan every row against the records it names, apply the valid rows.

One flow for every record type (SHEETS): `prepare` only reads; `apply` writes through the record type's own
operations (same checks, same events) and flushes; the route or command that called it commits once, so an
import lands whole or not at all.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tracker import events
from tracker.commitments import operations as commitment_operations
from tracker.commitments.models import Commitment
from tracker.commitments.operations import Window
from tracker.exchange import commitment_rows, letter_rows, queries
from tracker.exchange.plan import Columns, RowPlan, ids_named, names_in, plan_rows
from tracker.exchange.read import Table
from tracker.letters import operations as letter_operations
from tracker.letters.models import Letter
from tracker.duedates import parse_due
from tracker.meetings.operations import anchor_meeting_ids, meetings_as_anchors
from tracker.phases import operations as phase_operations
from tracker.phases import queries as phase_queries
from tracker.validation import InvalidInput


@dataclass(frozen=True)
class ImportSettings:
    """What an import needs from the configuration, given by the route or command."""
    today: date
    date_order: str = "MDY"  # how numeric due dates in phrases are read
    reply_by_days: int = 30  # an imported incoming letter awaits a reply this long


@dataclass(frozen=True)
class Sheet:
    """A record type an import reads: its columns, how the records a file names are looked up, how a row is
    planned against them and how a planned row is written."""
    name: str  # the plural in URLs and commands: "commitments"
    columns: Columns
    lookups: Callable[[Session, Table, ImportSettings], object]
    plan_row: Callable  # (Row, lookups) → RowPlan
    apply_row: Callable[[Session, RowPlan, str, ImportSettings, events.Actor], None]
    show_endpoint: str  # the record page an applied row links to
    show_argument: str


@dataclass
class Preview:
    sheet: Sheet
    plans: list[RowPlan]
    ignored_columns: list[str]

    @property
    def counts(self) -> Counter:
        return Counter({"create": 0, "update": 0, "unchanged": 0, "rejected": 0}) + Counter(
            plan.action for plan in self.plans)


def prepare(session: Session, sheet: Sheet, table: Table, settings: ImportSettings) -> Preview:
    """Plan every row of the table; reads only the records the file names."""
    missing = sheet.columns.missing(table.columns)
    if missing:
        raise InvalidInput(f"the first row must name the columns; missing: {', '.join(missing)} "
                           f"(the columns read are: {', '.join(sheet.columns.read)})", "file")
    lookups = sheet.lookups(session, table, settings)
    plans = plan_rows(table.rows, lambda row: sheet.plan_row(row, lookups), sheet.columns.record)
    return Preview(sheet, plans, sheet.columns.unknown(table.columns))


def apply(session: Session, preview: Preview, source: str, settings: ImportSettings,
          actor: events.Actor = events.SYSTEM) -> Counter:
    """Create and update what the plans say, in row order; rejected and unchanged rows are left alone."""
    for plan in preview.plans:
        if plan.action in ("create", "update"):
            preview.sheet.apply_row(session, plan, f"imported from {source}", settings, actor)
    session.flush()
    return preview.counts


# --- names shared by every record type ------------------------------------------------------------------------

def _parties_named(session: Session, names: set[str]) -> dict[str, int]:
    parties: dict[str, int] = {}
    for chunk in queries.chunks(names):
        for party_id, name, short_name in session.exec(queries.parties_named(chunk)):
            parties[name.lower()] = party_id
            parties.setdefault(short_name.lower(), party_id)
    return parties


def _people_named(session: Session, names: set[str]) -> dict[str, list[int]]:
    people: dict[str, list[int]] = defaultdict(list)
    for chunk in queries.chunks(names):
        for person_id, name, email in session.exec(queries.people_named(chunk)):
            people[name.lower()].append(person_id)
            people[email.lower()] = [person_id]
    return dict(people)


# --- commitments ----------------------------------------------------------------------------------------------

def _commitment_lookups(session: Session, table: Table, settings: ImportSettings) -> commitment_rows.Lookups:
    party_names = names_in(table.rows, commitment_rows.PARTY_COLUMNS)
    person_names = {row.cells["owner"].strip().lower() for row in table.rows if row.cells.get("owner")}
    return commitment_rows.Lookups(_parties_named(session, party_names), _people_named(session, person_names),
                                   _existing_commitments(session, ids_named(table.rows)),
                                   _phrase_reader(session, settings.today, settings.date_order), settings.today,
                                   list(session.exec(phase_queries.all_phases()))
                                   if any(column.lower() == "phase" for column in table.columns) else [])


def _existing_commitments(session: Session, ids: set[int]) -> dict[int, commitment_rows.Existing]:
    sides: dict[int, dict[str, set[int]]] = defaultdict(lambda: {"by": set(), "to": set()})
    found = {}
    for chunk in queries.chunks(ids):
        for commitment_id, side, party_id in session.exec(queries.sides_of(chunk)):
            sides[commitment_id][side].add(party_id)
        for c in session.exec(queries.commitments_with_ids(chunk)):
            found[c.id] = c
    return {cid: commitment_rows.Existing(
        kind=c.kind, title=c.title, quote=c.quote, owner_id=c.owner_id, made_by=frozenset(sides[cid]["by"]),
        made_to=frozenset(sides[cid]["to"]), window=Window.of(c), status=c.status, progress=c.progress,
        fulfilled_on=c.fulfilled_on, evidence_url=c.evidence_url, phase_id=c.phase_id) for cid, c in found.items()}


def _phrase_reader(session: Session, today: date, date_order: str):
    """parse_due for due phrases without dates, written today, with the meetings as anchors (loaded once,
    and only if a row needs them)."""
    anchors: dict = {}

    def read(phrase: str) -> Window | None:
        if not anchors:
            anchors["spans"] = meetings_as_anchors(session)
            anchors["ids"] = anchor_meeting_ids(session)
        found = parse_due(phrase, written_on=today, events=anchors["spans"], date_order=date_order)
        if found is None:
            return None
        return Window(phrase, found.earliest, found.latest, found.precision,
                      anchors["ids"].get(found.anchor) if found.anchor else None)

    return read


def _apply_commitment(session: Session, plan: RowPlan, reason: str, _settings: ImportSettings,
                      actor: events.Actor) -> None:
    v = plan.values
    if plan.action == "create":
        commitment = commitment_operations.make_commitment(
            session, kind=v["kind"], title=v["title"], window=v["window"], made_by=sorted(v["made_by"]),
            made_to=sorted(v["made_to"]), quote=v["quote"], owner_id=v["owner_id"], actor=actor)
        if v["status"] != "open" or v["progress"] or v["evidence_url"]:
            _update_progress(session, commitment, v, actor)
        _place(session, commitment, v, actor)
        plan.record_id = commitment.id
        return
    commitment = session.get(Commitment, plan.record_id)
    if "details" in plan.changes:
        commitment_operations.update_details(
            session, commitment, title=v["title"], quote=v["quote"], owner_id=v["owner_id"],
            made_by=sorted(v["made_by"]), made_to=sorted(v["made_to"]), actor=actor)
    if "window" in plan.changes:
        commitment_operations.reschedule(session, commitment, v["window"], reason=reason, actor=actor)
    if "progress" in plan.changes:
        _update_progress(session, commitment, v, actor)
    if "phase" in plan.changes:
        _place(session, commitment, v, actor)


def _place(session, commitment, values: dict, actor) -> None:
    # Through the operation the commitment's page uses: the same checks, event and history line.
    phase_operations.place_commitment(session, commitment, values["phase_id"], actor=actor, field="phase")


def _update_progress(session, commitment, values: dict, actor) -> None:
    commitment_operations.update_progress(
        session, commitment, status=values["status"], progress=values["progress"],
        fulfilled_on=values["fulfilled_on"], evidence_url=values["evidence_url"], actor=actor)


# --- letters --------------------------------------------------------------------------------------------------

def _letter_lookups(session: Session, table: Table, _settings: ImportSettings) -> letter_rows.Lookups:
    names = names_in(table.rows, tuple(letter_rows.ROLE_COLUMNS.values()))
    return letter_rows.Lookups(_parties_named(session, names), _people_named(session, names),
                               _existing_letters(session, ids_named(table.rows)))


def _existing_letters(session: Session, ids: set[int]) -> dict[int, letter_rows.ExistingLetter]:
    participants: dict[int, set] = defaultdict(set)
    found = {}
    for chunk in queries.chunks(ids):
        for letter_id, role, party_id, person_id in session.exec(queries.participants_of_letters(chunk)):
            # A person is the participant; the party on their row only says whom they signed for.
            participants[letter_id].add((role, "person", person_id) if person_id else (role, "party", party_id))
        for letter in session.exec(queries.letters_with_ids(chunk)):
            found[letter.id] = letter
    return {letter_id: letter_rows.ExistingLetter(
        sent_on=letter.sent_on, date_precision=letter.date_precision, subject=letter.subject,
        direction=letter.direction, source_url=letter.source_url,
        participants=frozenset(participants[letter_id])) for letter_id, letter in found.items()}


def _apply_letter(session: Session, plan: RowPlan, _reason: str, settings: ImportSettings,
                  actor: events.Actor) -> None:
    v = plan.values
    participants = [letter_operations.ParticipantInput(role, **{f"{kind}_id": record_id})
                    for role, kind, record_id in sorted(v["participants"])]
    header = dict(sent_on=v["sent_on"], date_precision=v["date_precision"], subject=v["subject"],
                  direction=v["direction"], source_url=v["source_url"])
    if plan.action == "create":
        letter = letter_operations.log_letter(
            session, **header, participants=letter_operations.resolve_titles(session, participants, v["sent_on"]),
            actor=actor)
        plan.record_id = letter.id
        return
    letter = session.get(Letter, plan.record_id)
    letter_operations.update_letter(session, letter, **header, body=letter.body, participants=participants,
                                    reply_by_days=settings.reply_by_days, actor=actor)


SHEETS: dict[str, Sheet] = {
    "commitments": Sheet("commitments", commitment_rows.COLUMNS, _commitment_lookups, commitment_rows.plan_row,
                         _apply_commitment, "commitments.show", "commitment_id"),
    "letters": Sheet("letters", letter_rows.COLUMNS, _letter_lookups, letter_rows.plan_row, _apply_letter,
                     "letters.detail", "letter_id"),
}
