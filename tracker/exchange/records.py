"""Exports: the rows of a commitments or letters sheet, one definition per record type for CSV and XLSX alike.

The columns are the sheet's (commitment_rows.COLUMNS, letter_rows.COLUMNS), so what an export writes is what
an import reads back: exporting and importing the same file changes nothing.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import date

from sqlmodel import Session

from tracker.commitments.models import Commitment, slip_days, timing
from tracker.exchange import queries
from tracker.exchange.plan import LIST_SEPARATOR
from tracker.exchange.letter_rows import ROLE_COLUMNS
from tracker.letters.models import Letter
from tracker.phases.models import display_name
from tracker.phases.related import phases_of

SEPARATOR = f"{LIST_SEPARATOR} "
# Rows loaded per batch of an export. Loaded records are large (a commitment is about 2 KB in memory): a worker that
# held all of a 15,000-row export at once kept the 30-40 MB it grew by long after the download.
EXPORT_BATCH = 1000


def in_batches(session: Session, statement, make_records: Callable[[list], list[dict]]) -> Iterator[dict]:
    """The statement's rows as export records, read and made a batch at a time (yield_per): only one batch of
    loaded rows and their records is held at once."""
    for batch in session.exec(statement.execution_options(yield_per=EXPORT_BATCH)).partitions():
        yield from make_records(list(batch))


def commitment_records(session: Session, commitments: list[Commitment], today: date, due_soon_days: int,
                       base_url: str) -> list[dict]:
    """One record per commitment, with its parties and owner by name (a bounded query per batch)."""
    sides: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"by": [], "to": []})
    owner_names: dict[int, str] = {}
    for chunk in queries.chunks([c.id for c in commitments]):
        for commitment_id, side, name in session.exec(queries.commitment_party_names(chunk)):
            sides[commitment_id][side].append(name)
    for chunk in queries.chunks({c.owner_id for c in commitments if c.owner_id}):
        owner_names.update(session.exec(queries.names_of_people(chunk)).all())
    phases = phases_of(session, commitments)
    base = base_url.rstrip("/")
    return [dict(id=c.id, kind=c.kind, title=c.title, made_by=SEPARATOR.join(sides[c.id]["by"]),
                 made_to=SEPARATOR.join(sides[c.id]["to"]), owner=owner_names.get(c.owner_id, ""),
                 due_phrase=c.due_phrase, due_earliest=c.due_earliest, due_latest=c.due_latest,
                 due_precision=c.due_precision, baseline_latest=c.baseline_latest, slip_days=slip_days(c),
                 status=c.status, timing=timing(c, today, due_soon_days),
                 phase=display_name(phases.get(c.phase_id)), progress=c.progress,
                 fulfilled_on=c.fulfilled_on, evidence_url=c.evidence_url or "", quote=c.quote,
                 url=f"{base}/commitments/{c.id}") for c in commitments]


def letter_records(session: Session, letters: list[Letter], base_url: str) -> list[dict]:
    """One record per letter, its authors, recipients and cc by name: a person when one is named on the
    letter (signing for a party), else the party."""
    named: dict[int, dict[str, list[str]]] = defaultdict(lambda: {role: [] for role in ROLE_COLUMNS})
    for chunk in queries.chunks([letter.id for letter in letters]):
        for letter_id, role, party_name, person_name in session.exec(queries.participant_names(chunk)):
            if role in ROLE_COLUMNS:
                named[letter_id][role].append(person_name or party_name)
    base = base_url.rstrip("/")
    records = []
    for letter in letters:
        record = dict(id=letter.id, sent_on=letter.sent_on.strftime("%Y-%m") if letter.date_precision == "month"
                      else letter.sent_on, subject=letter.subject, direction=letter.direction,
                      source_url=letter.source_url or "", reply_state=letter.reply_state or "",
                      reply_by=letter.reply_by, url=f"{base}/letters/{letter.id}")
        for role, column in ROLE_COLUMNS.items():
            record[column] = SEPARATOR.join(named[letter.id][role])
        records.append(record)
    return records
