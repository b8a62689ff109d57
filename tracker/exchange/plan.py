"""Deciding what each imported row does — create, update, leave unchanged or reject — with a message per cell.

The parts every record type shares: the layout of its sheet, the plan of a row, the checks every row gets
(formulas, control characters, the id) and the readers of one cell. Pure: the callers look up the records a
file names and pass them in, so the preview and the apply step (and the CLI's dry run) decide identically.
Each record type's own rules are in commitment_rows.py and letter_rows.py.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date

from tracker.exchange.read import Row
from tracker.validation import MAX_ID, is_ascii_number

LIST_SEPARATOR = ";"


@dataclass(frozen=True)
class Columns:
    """A record type's sheet: what the export writes, in order, and which of those an import reads."""
    record: str                     # "commitment": the word messages use
    exported: tuple[str, ...]       # every column the export writes, in this order
    derived: tuple[str, ...]        # written by the export, derived from the others: ignored on the way in
    required: tuple[str, ...]       # the header must name these
    required_for_new: tuple[str, ...]  # a row without id must fill these

    @property
    def read(self) -> tuple[str, ...]:
        return tuple(c for c in self.exported if c not in self.derived)

    def missing(self, columns: list[str]) -> list[str]:
        present = {c.lower() for c in columns}
        return [c for c in self.required if c not in present]

    def unknown(self, columns: list[str]) -> list[str]:
        return [c for c in columns if c.lower() not in self.exported]


@dataclass
class RowPlan:
    number: int
    action: str = "create"  # create | update | unchanged | rejected
    record_id: int | None = None
    errors: dict[str, str] = field(default_factory=dict)
    values: dict = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)  # which parts an update changes

    @property
    def label(self) -> str:
        """What the preview shows for the row: its title or subject."""
        return self.values.get("title") or self.values.get("subject") or ""


def plan_rows(rows: list[Row], plan_row: Callable[[Row], RowPlan], record: str) -> list[RowPlan]:
    """One plan per row, in order; a row naming a record already updated by an earlier row is rejected."""
    plans, seen_ids = [], set()
    for row in rows:
        plan = plan_row(row)
        if plan.record_id is not None:
            if plan.record_id in seen_ids:
                plan.errors["id"] = f"{record} {plan.record_id} is already updated by an earlier row"
                plan.action = "rejected"
            seen_ids.add(plan.record_id)
        plans.append(plan)
    return plans


def start_plan(row: Row, columns: Columns, existing: Mapping[int, object]):
    """The checks every row gets; returns the plan and the record the row's id names (None for a new one)."""
    cells, plan = row.cells, RowPlan(row.number)
    for column in sorted(row.formulas & set(columns.read)):
        plan.errors[column] = "a formula, not a value: paste the value instead"
    for column, text in cells.items():
        if column in columns.read and any(ord(ch) < 32 and ch not in "\t\n\r" for ch in text):
            plan.errors[column] = "control characters are not allowed"
    found = None
    raw_id = cells.get("id", "")
    if raw_id:
        number = whole_number(raw_id)
        if number is None or not 1 <= number <= MAX_ID:
            plan.errors["id"] = f"{raw_id!r} is not a {columns.record} number"
        elif number not in existing:
            plan.errors["id"] = f"there is no {columns.record} {number}"
        else:
            plan.record_id, plan.action, found = number, "update", existing[number]
    if found is None and "id" not in plan.errors:
        for column in columns.required_for_new:
            if not cells.get(column):
                plan.errors[column] = f"required for a new {columns.record}"
    return plan, found


def finish_plan(plan: RowPlan, changes: Callable[[], list[str]] | None) -> RowPlan:
    """Rejected when any cell is wrong; else an update that changes nothing is 'unchanged'."""
    if plan.errors:
        plan.action = "rejected"
    elif changes is not None:
        plan.changes = changes()
        plan.action = "update" if plan.changes else "unchanged"
    return plan


def ids_named(rows: list[Row]) -> set[int]:
    """The ids a file names, for looking up only those records."""
    ids = set()
    for row in rows:
        number = whole_number(row.cells.get("id", ""))
        if number is not None and 1 <= number <= MAX_ID:
            ids.add(number)
    return ids


def names_in(rows: list[Row], columns: tuple[str, ...]) -> set[str]:
    """Every name (lower-cased) in these list columns, for looking up only those parties and people."""
    names = set()
    for row in rows:
        for column in columns:
            names.update(name.lower() for name in split_names(row.cells.get(column, "")))
    return names


def split_names(text: str) -> list[str]:
    return [part.strip() for part in (text or "").split(LIST_SEPARATOR) if part.strip()]


# --- one cell -------------------------------------------------------------------------------------------------

def text(cells, plan, column, limit, default) -> str:
    value = cells.get(column, "") if column in cells else default
    if len(value) > limit:
        plan.errors[column] = f"at most {limit} characters ({len(value)} given)"
    plan.values[column] = value
    return value


def choice(cells, plan, column, allowed, default):
    value = cells.get(column, "").strip().lower().replace(" ", "_")
    if not value:
        return default
    if value not in allowed:
        plan.errors[column] = f"one of: {', '.join(allowed)} (got {cells[column]!r})"
        return default
    return value


def day(cells, plan, column, default):
    value = cells.get(column, "")
    if column not in cells:
        return default
    if not value:
        return None
    try:
        return date.fromisoformat(_date_part(value))
    except ValueError:
        plan.errors[column] = f"{value!r} is not a date that exists (use YYYY-MM-DD)"
        return default


def _date_part(value: str) -> str:
    """'2010-05-10 00:00:00', as a workbook's date cell reads as text, is the day '2010-05-10'."""
    return value[:10] if len(value) >= 10 and value[10:].strip(" 0:T") == "" else value


def web_address(cells, plan, column, default):
    """An empty cell keeps what is recorded (an import adds a web address, never erases it)."""
    value = cells.get(column, "")
    if not value:
        return default
    if not value.startswith(("http://", "https://")):
        plan.errors[column] = f"{value!r} is not a web address (http:// or https://)"
    return value


def whole_number(value: str) -> int | None:
    value = (value or "").strip().removesuffix(".0")  # a spreadsheet's idea of a whole number
    return int(value) if is_ascii_number(value) else None


def one_person(name: str, people: Mapping[str, list[int]]) -> tuple[int | None, str | None]:
    """The person a name or email address names, or why none: (id, None) or (None, message)."""
    matches = people.get(name.lower(), [])
    if len(matches) == 1:
        return matches[0], None
    if matches:
        return None, f"two or more people are named {name!r}: give their email address instead"
    return None, f"nobody is named {name!r} (give a name or email address of a known person)"
