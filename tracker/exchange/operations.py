"""Imports: read a spreadsheet, plan every row against the records it names, apply the valid rows.

`prepare` only reads; `apply` writes through the commitments' own operations (same checks, same events)
and flushes; the route or command that called it commits once, so an import lands whole or not at all.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from tracker import events
from tracker.commitments import operations as commitment_operations
from tracker.commitments.models import Commitment
from tracker.commitments.operations import Window
from tracker.exchange import queries
from tracker.exchange.plan import (COLUMNS, Existing, Lookups, RowPlan, missing_columns, plan_rows,
                                   unknown_columns)
from tracker.exchange.read import Table
from tracker.duedates import parse_due
from tracker.meetings.operations import anchor_meeting_ids, meetings_as_anchors
from tracker.validation import MAX_ID, InvalidInput, is_ascii_number


@dataclass
class Preview:
    plans: list[RowPlan]
    ignored_columns: list[str]

    @property
    def counts(self) -> Counter:
        return Counter({"create": 0, "update": 0, "unchanged": 0, "rejected": 0}) + Counter(
            plan.action for plan in self.plans)


def prepare(session: Session, table: Table, today: date, date_order: str = "MDY") -> Preview:
    """Plan every row of the table; reads only the parties, people and commitments the file names."""
    missing = missing_columns(table.columns)
    if missing:
        raise InvalidInput(f"the first row must name the columns; missing: {', '.join(missing)} "
                           f"(the columns read are: {', '.join(COLUMNS)})", "file")
    lookups = _lookups(session, table)
    return Preview(plan_rows(table.rows, lookups, _phrase_reader(session, today, date_order), today),
                   unknown_columns(table.columns))


def apply(session: Session, preview: Preview, source: str, actor: events.Actor = events.SYSTEM) -> Counter:
    """Create and update what the plans say, in row order; rejected and unchanged rows are left alone."""
    reason = f"imported from {source}"
    for plan in preview.plans:
        v = plan.values
        if plan.action == "create":
            commitment = commitment_operations.make_commitment(
                session, kind=v["kind"], title=v["title"], window=v["window"], made_by=sorted(v["made_by"]),
                made_to=sorted(v["made_to"]), quote=v["quote"], owner_id=v["owner_id"], actor=actor)
            if v["status"] != "open" or v["progress"] or v["evidence_url"]:
                _update_progress(session, commitment, v, actor)
            plan.commitment_id = commitment.id
        elif plan.action == "update":
            commitment = session.get(Commitment, plan.commitment_id)
            if "details" in plan.changes:
                commitment_operations.update_details(
                    session, commitment, title=v["title"], quote=v["quote"], owner_id=v["owner_id"],
                    made_by=sorted(v["made_by"]), made_to=sorted(v["made_to"]), actor=actor)
            if "window" in plan.changes:
                commitment_operations.reschedule(session, commitment, v["window"], reason=reason, actor=actor)
            if "progress" in plan.changes:
                _update_progress(session, commitment, v, actor)
    session.flush()
    return preview.counts


def _update_progress(session, commitment, values: dict, actor) -> None:
    commitment_operations.update_progress(
        session, commitment, status=values["status"], progress=values["progress"],
        fulfilled_on=values["fulfilled_on"], evidence_url=values["evidence_url"], actor=actor)


def _lookups(session: Session, table: Table) -> Lookups:
    party_names, person_names, ids = set(), set(), set()
    for row in table.rows:
        for side in ("made_by", "made_to"):
            party_names.update(n.strip().lower() for n in row.cells.get(side, "").split(";") if n.strip())
        if row.cells.get("owner"):
            person_names.add(row.cells["owner"].strip().lower())
        raw_id = row.cells.get("id", "").strip().removesuffix(".0")
        if is_ascii_number(raw_id) and int(raw_id) <= MAX_ID:
            ids.add(int(raw_id))
    parties: dict[str, int] = {}
    for chunk in queries.chunks(party_names):
        for party_id, name, short_name in session.exec(queries.parties_named(chunk)):
            parties[name.lower()] = party_id
            parties.setdefault(short_name.lower(), party_id)
    people: dict[str, list[int]] = defaultdict(list)
    for chunk in queries.chunks(person_names):
        for person_id, name, email in session.exec(queries.people_named(chunk)):
            people[name.lower()].append(person_id)
            people[email.lower()] = [person_id]
    return Lookups(parties, dict(people), _existing(session, ids))


def _existing(session: Session, ids: set[int]) -> dict[int, Existing]:
    sides: dict[int, dict[str, set[int]]] = defaultdict(lambda: {"by": set(), "to": set()})
    found = {}
    for chunk in queries.chunks(ids):
        for commitment_id, side, party_id in session.exec(queries.sides_of(chunk)):
            sides[commitment_id][side].add(party_id)
        for c in session.exec(queries.commitments_with_ids(chunk)):
            found[c.id] = c
    return {cid: Existing(kind=c.kind, title=c.title, quote=c.quote, owner_id=c.owner_id,
                          made_by=frozenset(sides[cid]["by"]), made_to=frozenset(sides[cid]["to"]),
                          window=Window.of(c), status=c.status, progress=c.progress, fulfilled_on=c.fulfilled_on,
                          evidence_url=c.evidence_url) for cid, c in found.items()}


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
