"""A commitment's sheet: its columns, and what one imported row does to the commitments (pure)."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.commitments.models import DUE_PRECISIONS, KINDS, STATUSES
from tracker.commitments.operations import Window
from tracker.exchange.plan import (Columns, RowPlan, choice, day, finish_plan, one_person, split_names, start_plan,
                                   text, web_address, whole_number)
from tracker.exchange.read import Row
from tracker.phases.models import Phase, match_phase
from tracker.validation import InvalidInput

COLUMNS = Columns(
    record="commitment",
    exported=("id", "kind", "title", "made_by", "made_to", "owner", "due_phrase", "due_earliest", "due_latest",
              "due_precision", "baseline_latest", "slip_days", "status", "timing", "phase", "progress",
              "fulfilled_on", "evidence_url", "quote", "url"),
    derived=("baseline_latest", "slip_days", "timing", "url"),
    required=("title", "kind", "made_by", "made_to"),
    required_for_new=("kind", "title", "made_by", "made_to"),
)
PARTY_COLUMNS = ("made_by", "made_to")
# Written only while phases are in use: with none defined the column would be empty.
OPTIONAL_COLUMNS = ("phase",)
DATE_COLUMNS = ("due_earliest", "due_latest", "baseline_latest", "fulfilled_on")
MAX_TITLE = 300
MAX_PHRASE = 300


def exported_columns(phases_in_use: bool) -> tuple[str, ...]:
    """The export's columns, without the phase column while no phase is defined."""
    return COLUMNS.exported if phases_in_use else tuple(c for c in COLUMNS.exported if c not in OPTIONAL_COLUMNS)


@dataclass(frozen=True)
class Existing:
    """What a commitment is now, in the terms of the spreadsheet."""
    kind: str
    title: str
    quote: str
    owner_id: int | None
    made_by: frozenset[int]
    made_to: frozenset[int]
    window: Window
    status: str
    progress: int
    fulfilled_on: date | None
    evidence_url: str | None
    phase_id: int | None = None


@dataclass(frozen=True)
class Lookups:
    parties: dict[str, int]  # lower-cased name or short name → id
    people: dict[str, list[int]]  # lower-cased name or email → ids (two people may share a name)
    commitments: dict[int, Existing]
    read_phrase: Callable[[str], Window | None]  # a due phrase without dates → its window
    today: date
    phases: Sequence[Phase] = ()  # every phase, retired ones too (an admin defines a handful)


def plan_row(row: Row, lookups: Lookups) -> RowPlan:
    cells = row.cells
    plan, existing = start_plan(row, COLUMNS, lookups.commitments)
    values = plan.values
    text(cells, plan, "title", MAX_TITLE, existing.title if existing else "")
    text(cells, plan, "quote", 20_000, existing.quote if existing else "")
    values["kind"] = choice(cells, plan, "kind", KINDS, existing.kind if existing else "promise")
    if existing and values["kind"] != existing.kind:
        plan.errors["kind"] = "a promise cannot become a request (or back): record a new commitment"
    values["status"] = choice(cells, plan, "status", STATUSES, existing.status if existing else "open")
    for side in PARTY_COLUMNS:
        values[side] = _parties(cells, plan, side, lookups, existing)
    values["owner_id"] = _owner(cells, plan, lookups, existing)
    values["progress"] = _progress(cells, plan, existing)
    values["fulfilled_on"] = day(cells, plan, "fulfilled_on", existing.fulfilled_on if existing else None)
    if values["fulfilled_on"] and values["fulfilled_on"] > lookups.today:
        plan.errors["fulfilled_on"] = "the fulfilment day is in the future"
    if values["status"] in ("done", "partly_done"):
        if not values["fulfilled_on"] and "fulfilled_on" not in plan.errors:
            plan.errors["fulfilled_on"] = "say on which day it was done"
    elif values["fulfilled_on"] and cells.get("fulfilled_on"):
        plan.errors["fulfilled_on"] = "only a done or partly done commitment has a fulfilment day"
    else:
        values["fulfilled_on"] = None
    if values["status"] == "done":
        values["progress"] = 100  # done is done, whatever the progress column says
    values["evidence_url"] = web_address(cells, plan, "evidence_url", existing.evidence_url if existing else None)
    values["phase_id"] = _phase(cells, plan, values["kind"], lookups.phases, existing)
    values["window"] = _window(cells, plan, lookups.read_phrase, existing)
    if not any(column.startswith("due_") for column in plan.errors):
        try:
            values["window"].check()
        except InvalidInput as error:
            plan.errors[error.field or "due_latest"] = str(error)
    return finish_plan(plan, (lambda: _changes(values, existing)) if existing is not None else None)


def _changes(values: dict, existing: Existing) -> list[str]:
    changes = []
    if (values["title"], values["quote"], values["owner_id"], values["made_by"], values["made_to"]) != (
            existing.title, existing.quote, existing.owner_id, existing.made_by, existing.made_to):
        changes.append("details")
    if values["window"] != existing.window:
        changes.append("window")
    if (values["status"], values["progress"], values["fulfilled_on"], values["evidence_url"]) != (
            existing.status, existing.progress, existing.fulfilled_on, existing.evidence_url):
        changes.append("progress")
    if values["phase_id"] != existing.phase_id:
        changes.append("phase")
    return changes


def _phase(cells, plan, kind, phases, existing) -> int | None:
    """The phase by name, among its kind's (as the export writes it, "(retired)" and all); an empty cell: in no
    phase; no phase column: as it is."""
    kept = existing.phase_id if existing else None
    if "phase" not in cells:
        return kept
    name = cells["phase"].strip()
    if not name:
        return None
    if "kind" in plan.errors or "phase" in plan.errors:
        return kept  # which kind's phases to look in is not known, or the cell is refused already
    try:
        return match_phase(phases, kind, name, kept, "phase").id
    except InvalidInput as error:
        plan.errors["phase"] = str(error)
        return kept


def _parties(cells, plan, column, lookups, existing) -> frozenset[int]:
    names = split_names(cells.get(column, ""))
    if not names:
        return getattr(existing, column) if existing else frozenset()
    found, unknown = set(), []
    for name in names:
        party_id = lookups.parties.get(name.lower())
        if party_id is None:
            unknown.append(name)
        else:
            found.add(party_id)
    if unknown:
        plan.errors[column] = f"no party is named {', '.join(repr(n) for n in unknown)}"
    return frozenset(found)


def _owner(cells, plan, lookups, existing):
    name = cells.get("owner", "")
    if "owner" not in cells:
        return existing.owner_id if existing else None
    if not name:
        return None
    person_id, problem = one_person(name, lookups.people)
    if problem:
        plan.errors["owner"] = problem
        return existing.owner_id if existing else None
    return person_id


def _progress(cells, plan, existing) -> int:
    value = cells.get("progress", "")
    if not value:
        return existing.progress if existing else 0
    number = whole_number(value)
    if number is None or not 0 <= number <= 100:
        plan.errors["progress"] = f"a percentage from 0 to 100 (got {value!r})"
        return existing.progress if existing else 0
    return number


def _window(cells, plan, read_phrase, existing) -> Window:
    due_columns = ("due_phrase", "due_earliest", "due_latest", "due_precision")
    if existing is not None and not any(column in cells for column in due_columns):
        return existing.window
    phrase = cells.get("due_phrase", "")
    if len(phrase) > MAX_PHRASE:
        plan.errors["due_phrase"] = f"at most {MAX_PHRASE} characters"
    earliest = day(cells, plan, "due_earliest", None)
    latest = day(cells, plan, "due_latest", None)
    precision = cells.get("due_precision", "").strip().lower()
    if precision and precision not in DUE_PRECISIONS:
        plan.errors["due_precision"] = f"one of: {', '.join(DUE_PRECISIONS)} (got {precision!r})"
        precision = ""
    if existing is not None:
        now = existing.window
        if (phrase, earliest, latest) == (now.phrase, now.earliest, now.latest) and precision in ("", now.precision):
            return now  # as exported: keep it, with its meeting anchor
    if earliest or latest:
        if earliest and latest and latest < earliest:
            plan.errors["due_latest"] = f"the latest day ({latest}) is before the earliest ({earliest})"
        if precision in ("vague", "unresolved"):
            plan.errors["due_precision"] = "a vague window has no dates: clear the dates or say day or window"
        if latest is None:
            plan.errors["due_latest"] = "a dated window needs its latest (last on-time) day"
        precision = precision or ("day" if earliest in (None, latest) else "window")
        return Window(phrase, earliest, latest, precision)
    if phrase and precision in ("", "day", "window"):
        read = read_phrase(phrase)
        if read is not None and (precision == "" or read.precision == precision):
            return read
        if precision in ("day", "window"):
            plan.errors["due_latest"] = f"{phrase!r} gives no date: add the latest day, or say vague"
    return Window(phrase, None, None, precision or "vague")
