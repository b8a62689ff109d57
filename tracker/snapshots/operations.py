"""Roll the session's view of the record back to a past moment, inside a savepoint its caller rolls back.

Every page, list filter, count, report and API list then reads the record as it stood, through the same queries
and the same derived-state definitions it uses for today: nothing is defined twice. The writes stay in the
savepoint; a commit while it is open is refused (see tracker.snapshots.refuse_commit), so they never persist.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, delete, insert, text, update
from sqlmodel import Session

from tracker.commitments.models import CommitmentParty
from tracker.consultations.models import Submission
from tracker.letters.models import LetterLink
from tracker.meetings.models import MeetingParticipant
from tracker.snapshots import queries
from tracker.snapshots.replay import COLUMNS, LoggedEvent, Rollback, roll_back

# Ids per IN (...): well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
CHUNK = 5000
# Any constant unique to this use of PostgreSQL's advisory locks ("asof" in ASCII).
ADVISORY_LOCK_KEY = 0x6173_6F66
# Deleting parents after children keeps RESTRICT and SET NULL foreign keys quiet.
DELETE_ORDER = ("commitment", "letter", "meeting", "comment_period")


@dataclass(frozen=True)
class SnapshotCost:
    """How much rolling back took: records changed since the cutoff, and how many of them did not exist yet."""
    changed: int
    removed: int


def _chunks(ids):
    ids = sorted(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


class TooFarBack(Exception):
    """Rebuilding that day would roll back more records than the configured limit allows."""

    def __init__(self, changed: int, limit: int):
        super().__init__(f"The record as of that day would be rebuilt from {changed:,} changed records, more than "
                         f"the {limit:,} this tracker rebuilds for one page (AS_OF_MAX_CHANGES). Choose a later day.")
        self.changed, self.limit = changed, limit


def roll_back_to(session: Session, as_of: date, cutoff: datetime, max_changes: int | None = None) -> SnapshotCost:
    """Make the session show the record as it stood just before `cutoff` (the end of `as_of`); flushes, never
    commits — the caller holds a savepoint and rolls it back."""
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # Two pages of different days roll back overlapping rows in different orders; one at a time, they cannot
        # deadlock. (SQLite's BEGIN IMMEDIATE already lets one writer in at a time.)
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
    changed: dict[str, set[int]] = defaultdict(set)
    for subject_type, subject_id in session.exec(queries.events_since(cutoff)):
        if subject_type in queries.MODELS:
            changed[subject_type].add(subject_id)
    # Checked before anything is written: on SQLite every writer waits while a page of a past day is rebuilt.
    count = sum(len(ids) for ids in changed.values())
    if max_changes is not None and count > max_changes:
        raise TooFarBack(count, max_changes)
    removed: dict[str, set[int]] = defaultdict(set)
    rollbacks: dict[str, dict[int, Rollback]] = defaultdict(dict)
    for subject_type, ids in changed.items():
        for chunk in _chunks(ids):
            recorded: dict[int, list[LoggedEvent]] = defaultdict(list)
            for event_id, kind, subject_id, occurred_at, data in session.exec(queries.histories(subject_type, chunk)):
                recorded[subject_id].append(LoggedEvent(event_id, kind, occurred_at, data or {}))
            columns = COLUMNS[subject_type]
            for record_id, *values in session.exec(queries.current_rows(subject_type, chunk)):
                current = dict(zip(columns, values))
                result = roll_back(subject_type, current, recorded.get(record_id, []), cutoff)
                if result.existed:
                    rollbacks[subject_type][record_id] = result
                else:
                    removed[subject_type].add(record_id)
    for subject_type in queries.MODELS:
        unlogged = queries.unlogged_records_after(subject_type, as_of, cutoff)
        if unlogged is not None:
            removed[subject_type].update(session.exec(unlogged))
    _apply(session, rollbacks, removed, cutoff)
    session.expire_all()
    return SnapshotCost(sum(len(ids) for ids in changed.values()), sum(len(ids) for ids in removed.values()))


def _apply(session: Session, rollbacks: dict[str, dict[int, Rollback]], removed: dict[str, set[int]],
           cutoff: datetime) -> None:
    for model, stamp in queries.STAMPED_ROWS:
        session.exec(delete(model).where(stamp >= cutoff))
    for record_id, result in rollbacks["letter"].items():
        for from_id, to_id, kind in result.links_added:
            session.exec(delete(LetterLink).where(LetterLink.from_letter_id == from_id,
                                                  LetterLink.to_letter_id == to_id, LetterLink.kind == kind))
    for record_id, result in rollbacks["meeting"].items():
        for added in result.participants_added:
            session.exec(delete(MeetingParticipant).where(*_participant_match(record_id, added)))
    submissions = [i for result in rollbacks["comment_period"].values() for i in result.submissions_added]
    for chunk in _chunks(submissions):
        session.exec(delete(Submission).where(Submission.id.in_(chunk)))
    for record_id, result in rollbacks["commitment"].items():
        if result.sides is not None:
            session.exec(delete(CommitmentParty).where(CommitmentParty.commitment_id == record_id))
            rows = [dict(commitment_id=record_id, party_id=party_id, side=side)
                    for side, party_ids in result.sides.items() for party_id in dict.fromkeys(party_ids)]
            if rows:
                session.execute(insert(CommitmentParty.__table__), rows)
    for subject_type, by_id in rollbacks.items():
        _restore_columns(session, subject_type, by_id)
    for subject_type in DELETE_ORDER:
        model = queries.MODELS[subject_type]
        for chunk in _chunks(removed.get(subject_type, ())):
            session.exec(delete(model).where(model.id.in_(chunk)))


def _participant_match(meeting_id: int, added: dict):
    table = MeetingParticipant
    if isinstance(added.get("participant_id"), int):
        return (table.id == added["participant_id"],)
    return (table.meeting_id == meeting_id, table.person_id == added.get("person_id"),
            table.party_id == added.get("party_id"), table.role == added.get("role"))


def _restore_columns(session: Session, subject_type: str, by_id: dict[int, Rollback]) -> None:
    """One UPDATE per set of changed columns, sent with many parameter sets."""
    table = queries.MODELS[subject_type].__table__
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for record_id, result in by_id.items():
        if result.values:
            groups[tuple(sorted(result.values))].append({"record_id": record_id, **{
                f"then_{column}": value for column, value in result.values.items()}})
    for columns, parameters in groups.items():
        statement = (update(table).where(table.c.id == bindparam("record_id"))
                     .values({column: bindparam(f"then_{column}") for column in columns}))
        session.connection().execute(statement, parameters)
