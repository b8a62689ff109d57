"""A letter's sheet: its columns, and what one imported row does to the letters (pure).

Authors, recipients and cc are lists of names separated by ';': a party by its name or short name, a person by
name or email address. The date is a day (2010-03-25) or, when only the month is known, a month (2010-03).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.exchange.plan import Columns, RowPlan, choice, finish_plan, split_names, start_plan, text, web_address
from tracker.exchange.read import Row
from tracker.letters.forms import parse_letter_date
from tracker.letters.models import DIRECTIONS
from tracker.validation import InvalidInput

COLUMNS = Columns(
    record="letter",
    exported=("id", "sent_on", "subject", "direction", "authors", "recipients", "cc", "source_url", "reply_state",
              "reply_by", "url"),
    derived=("reply_state", "reply_by", "url"),
    required=("sent_on", "subject", "direction", "authors"),
    required_for_new=("sent_on", "subject", "direction", "authors"),
)
# The column of each participant role.
ROLE_COLUMNS = {"author": "authors", "recipient": "recipients", "cc": "cc"}
DATE_COLUMNS = ("sent_on", "reply_by")
MAX_SUBJECT = 500
MAX_URL = 2000

# A participant as the sheet names it: (role, "party" or "person", id).
Participant = tuple[str, str, int]


@dataclass(frozen=True)
class ExistingLetter:
    """What a letter is now, in the terms of the spreadsheet."""
    sent_on: date
    date_precision: str
    subject: str
    direction: str
    source_url: str | None
    participants: frozenset[Participant]


@dataclass(frozen=True)
class Lookups:
    parties: dict[str, int]  # lower-cased name or short name → id
    people: dict[str, list[int]]  # lower-cased name or email → ids
    letters: dict[int, ExistingLetter]


def plan_row(row: Row, lookups: Lookups) -> RowPlan:
    cells = row.cells
    plan, existing = start_plan(row, COLUMNS, lookups.letters)
    values = plan.values
    subject = text(cells, plan, "subject", MAX_SUBJECT, existing.subject if existing else "").strip()
    values["subject"] = subject
    values["direction"] = choice(cells, plan, "direction", DIRECTIONS, existing.direction if existing else "incoming")
    values["sent_on"], values["date_precision"] = _letter_date(cells, plan, existing)
    source_url = web_address(cells, plan, "source_url", existing.source_url if existing else None)
    if source_url and len(source_url) > MAX_URL:
        plan.errors["source_url"] = f"at most {MAX_URL} characters"
    values["source_url"] = source_url or None
    participants = set()
    for role, column in ROLE_COLUMNS.items():
        participants |= _participants(cells, plan, role, column, lookups, existing)
    if not any(role == "author" for role, _kind, _id in participants) and "authors" not in plan.errors:
        plan.errors["authors"] = "a letter needs at least one author (a party or a person)"
    values["participants"] = frozenset(participants)
    return finish_plan(plan, (lambda: _changes(values, existing)) if existing is not None else None)


def _changes(values: dict, existing: ExistingLetter) -> list[str]:
    changes = []
    if (values["sent_on"], values["date_precision"], values["subject"], values["direction"],
            values["source_url"]) != (existing.sent_on, existing.date_precision, existing.subject,
                                      existing.direction, existing.source_url):
        changes.append("details")
    if values["participants"] != existing.participants:
        changes.append("participants")
    return changes


def _letter_date(cells, plan, existing) -> tuple[date | None, str]:
    value = cells.get("sent_on", "")
    if not value:
        return (existing.sent_on, existing.date_precision) if existing else (None, "day")
    # A workbook's date cell reads as '2010-03-25 00:00:00'.
    if len(value) > 10 and value[10:].strip(" 0:T") == "":
        value = value[:10]
    try:
        return parse_letter_date(value)
    except InvalidInput as error:
        plan.errors["sent_on"] = str(error)
        return (existing.sent_on, existing.date_precision) if existing else (None, "day")


def _participants(cells, plan, role, column, lookups, existing) -> set[Participant]:
    names = split_names(cells.get(column, ""))
    if column not in cells or (not names and existing is not None and role == "author"):
        # A missing column keeps them; an empty authors cell too (a letter always has an author).
        return {p for p in existing.participants if p[0] == role} if existing else set()
    found, problems = set(), []
    for name in names:
        party_id = lookups.parties.get(name.lower())
        people = lookups.people.get(name.lower(), [])
        if party_id is not None and people:
            problems.append(f"{name!r} names both a party and a person: give the person's email address")
        elif party_id is not None:
            found.add((role, "party", party_id))
        elif len(people) == 1:
            found.add((role, "person", people[0]))
        elif people:
            problems.append(f"two or more people are named {name!r}: give their email address instead")
        else:
            problems.append(f"no party or person is named {name!r}")
    if problems:
        plan.errors[column] = "; ".join(problems)
    return found

