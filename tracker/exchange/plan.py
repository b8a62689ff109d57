"""Deciding what each imported row does — create, update, leave unchanged or reject — with a message per cell.

Pure: the caller looks up the parties, people and commitments the file names and passes them in, with a
function that reads a due phrase. Nothing here touches the database, so the preview and the apply step
(and the CLI's dry run) decide identically.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from tracker.commitments.models import DUE_PRECISIONS, KINDS, STATUSES
from tracker.commitments.operations import Window
from tracker.exchange.read import Row
from tracker.validation import MAX_ID, InvalidInput, is_ascii_number

# Columns the import reads (the export writes them all, in this order, plus read-only ones).
COLUMNS = ("id", "kind", "title", "made_by", "made_to", "owner", "due_phrase", "due_earliest", "due_latest",
           "due_precision", "status", "progress", "fulfilled_on", "evidence_url", "quote")
# Written by the export, derived from the others: ignored on the way in.
DERIVED_COLUMNS = ("baseline_latest", "slip_days", "timing", "url")
REQUIRED_FOR_NEW = ("kind", "title", "made_by", "made_to")
LIST_SEPARATOR = ";"
MAX_TITLE = 300
MAX_PHRASE = 300


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


@dataclass(frozen=True)
class Lookups:
    parties: dict[str, int]  # lower-cased name or short name → id
    people: dict[str, list[int]]  # lower-cased name or email → ids (two people may share a name)
    commitments: dict[int, Existing]


@dataclass
class RowPlan:
    number: int
    action: str = "create"  # create | update | unchanged | rejected
    commitment_id: int | None = None
    errors: dict[str, str] = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)  # which parts an update changes: details, window, progress


def unknown_columns(columns: list[str]) -> list[str]:
    known = set(COLUMNS) | set(DERIVED_COLUMNS)
    return [c for c in columns if c.lower() not in known]


def missing_columns(columns: list[str]) -> list[str]:
    present = {c.lower() for c in columns}
    return [c for c in ("title", "kind", "made_by", "made_to") if c not in present]


def plan_rows(rows: list[Row], lookups: Lookups, read_phrase: Callable[[str], Window | None],
              today: date) -> list[RowPlan]:
    """One plan per row, in order; a row named twice by id is rejected the second time."""
    plans, seen_ids = [], set()
    for row in rows:
        plan = _plan_row(row, lookups, read_phrase, today)
        if plan.commitment_id is not None:
            if plan.commitment_id in seen_ids:
                plan.errors["id"] = f"commitment {plan.commitment_id} is already updated by an earlier row"
                plan.action = "rejected"
            seen_ids.add(plan.commitment_id)
        plans.append(plan)
    return plans


def _plan_row(row: Row, lookups: Lookups, read_phrase, today: date) -> RowPlan:
    cells, plan = row.cells, RowPlan(row.number)
    for column in sorted(row.formulas & set(COLUMNS)):
        plan.errors[column] = "a formula, not a value: paste the value instead"
    for column, text in cells.items():
        if column in COLUMNS and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
            plan.errors[column] = "control characters are not allowed"
    existing = None
    raw_id = cells.get("id", "")
    if raw_id:
        number = _whole_number(raw_id)
        if number is None or not 1 <= number <= MAX_ID:
            plan.errors["id"] = f"{raw_id!r} is not a commitment number"
        elif number not in lookups.commitments:
            plan.errors["id"] = f"there is no commitment {number}"
        else:
            plan.commitment_id, plan.action, existing = number, "update", lookups.commitments[number]
    if existing is None and "id" not in plan.errors:
        for column in REQUIRED_FOR_NEW:
            if not cells.get(column):
                plan.errors[column] = "required for a new commitment"

    values = plan.values
    _text(cells, plan, "title", MAX_TITLE, existing.title if existing else "")
    _text(cells, plan, "quote", 20_000, existing.quote if existing else "")
    values["kind"] = _choice(cells, plan, "kind", KINDS, existing.kind if existing else "promise")
    if existing and values["kind"] != existing.kind:
        plan.errors["kind"] = "a promise cannot become a request (or back): record a new commitment"
    values["status"] = _choice(cells, plan, "status", STATUSES, existing.status if existing else "open")
    for side in ("made_by", "made_to"):
        values[side] = _parties(cells, plan, side, lookups, existing)
    values["owner_id"] = _owner(cells, plan, lookups, existing)
    values["progress"] = _progress(cells, plan, existing)
    values["fulfilled_on"] = _day(cells, plan, "fulfilled_on", existing.fulfilled_on if existing else None)
    if values["fulfilled_on"] and values["fulfilled_on"] > today:
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
    values["evidence_url"] = _url(cells, plan, existing)
    values["window"] = _window(cells, plan, read_phrase, existing)
    if not any(column.startswith("due_") for column in plan.errors):
        try:
            values["window"].check()
        except InvalidInput as error:
            plan.errors[error.field or "due_latest"] = str(error)

    if plan.errors:
        plan.action = "rejected"
    elif existing is not None:
        plan.changes = _changes(values, existing)
        plan.action = "update" if plan.changes else "unchanged"
    return plan


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
    return changes


def _text(cells, plan, column, limit, default):
    text = cells.get(column, "") if column in cells else default
    if len(text) > limit:
        plan.errors[column] = f"at most {limit} characters ({len(text)} given)"
    plan.values[column] = text


def _choice(cells, plan, column, allowed, default):
    text = cells.get(column, "").strip().lower().replace(" ", "_")
    if not text:
        return default
    if text not in allowed:
        plan.errors[column] = f"one of: {', '.join(allowed)} (got {cells[column]!r})"
        return default
    return text


def _parties(cells, plan, column, lookups, existing) -> frozenset[int]:
    text = cells.get(column, "")
    if not text:
        return getattr(existing, column) if existing else frozenset()
    found, unknown = set(), []
    for name in filter(None, (part.strip() for part in text.split(LIST_SEPARATOR))):
        party_id = lookups.parties.get(name.lower())
        if party_id is None:
            unknown.append(name)
        else:
            found.add(party_id)
    if unknown:
        plan.errors[column] = f"no party is named {', '.join(repr(n) for n in unknown)}"
    return frozenset(found)


def _owner(cells, plan, lookups, existing):
    text = cells.get("owner", "")
    if "owner" not in cells:
        return existing.owner_id if existing else None
    if not text:
        return None
    matches = lookups.people.get(text.lower(), [])
    if len(matches) == 1:
        return matches[0]
    plan.errors["owner"] = (f"two or more people are named {text!r}: give their email address instead" if matches
                            else f"nobody is named {text!r} (give a name or email address of a known person)")
    return existing.owner_id if existing else None


def _progress(cells, plan, existing) -> int:
    text = cells.get("progress", "")
    if not text:
        return existing.progress if existing else 0
    number = _whole_number(text)
    if number is None or not 0 <= number <= 100:
        plan.errors["progress"] = f"a percentage from 0 to 100 (got {text!r})"
        return existing.progress if existing else 0
    return number


def _day(cells, plan, column, default):
    text = cells.get(column, "")
    if column not in cells:
        return default
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10] if len(text) >= 10 and text[10:].strip(" 0:T") == "" else text)
    except ValueError:
        plan.errors[column] = f"{text!r} is not a date that exists (use YYYY-MM-DD)"
        return default


def _url(cells, plan, existing):
    """An empty cell keeps the evidence already recorded (an import adds evidence, never erases it)."""
    text = cells.get("evidence_url", "")
    if not text:
        return existing.evidence_url if existing else None
    if text and not text.startswith(("http://", "https://")):
        plan.errors["evidence_url"] = f"{text!r} is not a web address (http:// or https://)"
    return text or None


def _window(cells, plan, read_phrase, existing) -> Window:
    due_columns = ("due_phrase", "due_earliest", "due_latest", "due_precision")
    if existing is not None and not any(column in cells for column in due_columns):
        return existing.window
    phrase = cells.get("due_phrase", "")
    if len(phrase) > MAX_PHRASE:
        plan.errors["due_phrase"] = f"at most {MAX_PHRASE} characters"
    earliest = _day(cells, plan, "due_earliest", None)
    latest = _day(cells, plan, "due_latest", None)
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


def _whole_number(text: str) -> int | None:
    text = text.strip().removesuffix(".0")  # a spreadsheet's idea of a whole number
    return int(text) if is_ascii_number(text) else None
