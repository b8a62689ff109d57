"""Show the session the record as it stood at a past moment, inside a savepoint its caller rolls back.

Every page, list filter, count, report and API list then reads the record as it stood, through the same queries
and the same derived-state definitions it uses for today: nothing is defined twice.

Two kinds of change are undone, each the cheapest way that leaves every query and index as it is:
- A record that did not exist yet (and every row that would go with it when deleted: its parties, participants,
  files, links) is hidden, not deleted. Its id goes into a temporary table, and a temporary view named like the
  table shows the table without it. Temporary views come first in name lookup on both databases, so the pages'
  unchanged SQL reads them; each view is the table behind one NOT EXISTS, which both planners fold into the
  query and answer from the table's own indexes. Nothing of the shared tables is written for these, however far
  back the day, so on PostgreSQL they leave no dead rows behind.
- A record that existed but changed since is put back as it was, in place, by UPDATE: the few columns an event
  changed. A view cannot swap rows without hiding them from the indexes that filters and orderings use.

The temporary tables and views are created inside the savepoint, so rolling it back drops them; a commit while
it is open is refused (see tracker.snapshots), so none of it persists.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import (Column, Integer, MetaData, Table, Text, bindparam, column, delete, exists, func, insert,
                        text, tuple_, update)
from sqlalchemy import select as sql_select
from sqlalchemy import table as sql_table
from sqlmodel import SQLModel, Session, select

from tracker.commitments.models import CommitmentParty
from tracker.letters.models import LetterLink
from tracker.meetings.models import MeetingParticipant
from tracker.kept import RecentlyUsed
from tracker.snapshots import queries
from tracker.snapshots.cache import Replayed
from tracker.snapshots.replay import COLUMNS, LoggedEvent, Rollback, roll_back

# Ids per IN (...) and rows per batched INSERT: well under SQLite's 32,766 bound parameters and PostgreSQL's 65,535.
CHUNK = 5000
# Any constant unique to this use of PostgreSQL's advisory locks ("asof" in ASCII).
ADVISORY_LOCK_KEY = 0x6173_6F66
# Temporary tables holding the ids of hidden rows are named after their table with this prefix, those of the
# records changed since after their kind of record with the other.
HIDDEN_PREFIX = "asof_hidden_"
CHANGED_PREFIX = "asof_changed_"
THEN_PREFIX = "asof_then_"


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


def roll_back_to(session: Session, as_of: date, cutoff: datetime, max_changes: int | None = None,
                 kept: RecentlyUsed[Replayed] | None = None) -> SnapshotCost:
    """Make the session show the record as it stood just before `cutoff` (the end of `as_of`); flushes, never
    commits — the caller holds a savepoint and rolls it back. `kept`: replays kept from earlier requests
    (tracker.snapshots.cache), used when no change was recorded since, and added to otherwise."""
    session.flush()
    # Checked before anything is made: a page of a day too far back says so at once.
    count, events, newest = session.connection().execute(queries.changes_since(cutoff)).one()
    if max_changes is not None and count > max_changes:
        raise TooFarBack(count, max_changes)
    removed = _list_records_made_since(session, as_of, cutoff)
    key = (cutoff, int(events), newest)
    rollbacks = kept.get(key) if kept is not None else None
    if rollbacks is None:
        rollbacks = _replay_records_changed_since(session, cutoff)
        if kept is not None:
            kept.put(key, rollbacks)
    names = {model.__tablename__ for model in queries.MODELS.values()}
    names |= _fill_hidden_tables(session, _hidden_rows(session, rollbacks), cutoff)
    orphans = _orphans(session, names)
    if orphans or any(result.values or result.sides is not None
                      for by_id in rollbacks.values() for result in by_id.values()):
        if session.get_bind().dialect.name == "postgresql":
            # Two pages of different days put back overlapping rows in different orders; one at a time, they
            # cannot deadlock. (SQLite's BEGIN IMMEDIATE already lets one writer in at a time.)
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        _put_back(session, rollbacks, orphans)
    _create_views(session, names)
    session.expire_all()
    return SnapshotCost(count, removed)


def _list_records_made_since(session: Session, as_of: date, cutoff: datetime) -> int:
    """The ids of the records made since, per table, in temporary tables: copied from the log in SQL, never
    fetched (neither their history nor their row is needed, however many there are). Returns how many."""
    connection = session.connection()
    removed = 0
    for subject_type, model in queries.MODELS.items():
        hidden = HIDDEN_PREFIX + model.__tablename__
        _create_id_table(session, hidden, (), analyse=False)
        connection.execute(insert(_id_table(hidden)).from_select(["id"], queries.made_since(subject_type, cutoff)))
        unlogged = queries.unlogged_records_after(subject_type, as_of, cutoff)
        if unlogged is not None:
            connection.execute(insert(_id_table(hidden)).from_select(["id"], unlogged))
        removed += _count_and_analyse(session, hidden)
    return removed


def _replay_records_changed_since(session: Session, cutoff: datetime) -> Replayed:
    """How each record that existed and changed since stood then (tracker.snapshots.replay): its ids in a
    temporary table that its history and its current columns are read through, one statement each. Records whose
    changes since left nothing to undo (a change made and reverted) are left out."""
    connection = session.connection()
    # Every kind present (its readers index it), in plain dicts: a kept replay is shared and only ever read.
    rollbacks: Replayed = {subject_type: {} for subject_type in queries.MODELS}
    for subject_type, model in queries.MODELS.items():
        listed = CHANGED_PREFIX + subject_type
        _create_id_table(session, listed, (), analyse=False)
        connection.execute(insert(_id_table(listed)).from_select(["id"], queries.changed_since(
            subject_type, cutoff, _id_table(HIDDEN_PREFIX + model.__tablename__))))
        if not _count_and_analyse(session, listed):
            continue
        ids_listed = sql_select(_id_table(listed).c.id)
        recorded: dict[int, list[LoggedEvent]] = defaultdict(list)
        for event_id, kind, subject_id, occurred_at, data in connection.execute(
                queries.histories(subject_type, ids_listed)):
            recorded[subject_id].append(LoggedEvent(event_id, kind, occurred_at, data or {}))
        columns = COLUMNS[subject_type]
        for record_id, *values in connection.execute(queries.current_rows(subject_type, ids_listed)):
            # Each has no creating event after the cutoff (those are hidden), so each existed.
            result = roll_back(subject_type, dict(zip(columns, values)), recorded.get(record_id, []), cutoff)
            if result.undoes_anything:
                rollbacks[subject_type][record_id] = result
    return rollbacks


def _put_back(session: Session, rollbacks: Replayed,
              orphans: list[tuple[object, str, list[int]]]) -> None:
    """The records that existed, in place as they stood (before any view is made: writes go to the tables)."""
    for record_id, result in rollbacks["commitment"].items():
        if result.sides is not None:
            session.exec(delete(CommitmentParty).where(CommitmentParty.commitment_id == record_id))
            rows = [dict(commitment_id=record_id, party_id=party_id, side=side)
                    for side, party_ids in result.sides.items() for party_id in dict.fromkeys(party_ids)]
            if rows:
                session.execute(insert(CommitmentParty.__table__), rows)
    for subject_type, by_id in rollbacks.items():
        _restore_columns(session, subject_type, by_id)
    for table, column_name, ids in orphans:
        for chunk in _chunks(ids):
            session.execute(update(table).where(table.c.id.in_(chunk)).values({column_name: None}))


def _restore_columns(session: Session, subject_type: str, by_id: dict[int, Rollback]) -> None:
    """Put back the changed columns, one UPDATE per set of them. SQLite runs in the process, so an UPDATE sent
    with many parameter sets is quickest there; on PostgreSQL each set would be a round trip, so the values go into
    a temporary table in batches and one UPDATE … FROM copies them over."""
    changed = {record_id: result.values for record_id, result in by_id.items() if result.values}
    if not changed:
        return
    table = queries.MODELS[subject_type].__table__
    connection = session.connection()
    groups: dict[str, list[int]] = defaultdict(list)
    for record_id, values in changed.items():
        groups[",".join(sorted(values))].append(record_id)
    if connection.dialect.name != "postgresql":
        for key, record_ids in groups.items():
            columns = key.split(",")
            statement = (update(table).where(table.c.id == bindparam("record_id"))
                         .values({column: bindparam(f"then_{column}") for column in columns}))
            connection.execute(statement, [{"record_id": record_id, **{
                f"then_{column}": changed[record_id][column] for column in columns}} for record_id in record_ids])
        return
    then = _then_table(subject_type)
    then.create(connection)
    # Every row names every column; those unchanged stay NULL and are not copied over.
    names = ["id", "changed", *COLUMNS[subject_type]]
    _copy_rows(connection, then.name, names, ([record_id, key, *(changed[record_id].get(column)
                                                              for column in COLUMNS[subject_type])]
                                              for key, record_ids in groups.items() for record_id in record_ids))
    _count_and_analyse(session, then.name)
    for key in sorted(groups):
        connection.execute(update(table).where(table.c.id == then.c.id, then.c.changed == key)
                           .values({column: then.c[column] for column in key.split(",")}))


def _copy_rows(connection, table_name: str, names: list[str], rows) -> None:
    """Rows into a PostgreSQL table by COPY, in the transaction of the SQLAlchemy connection: a batched INSERT
    of 2,500 put-back commitments took 58 ms, most of it sending and parsing parameters."""
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    with connection.connection.driver_connection.cursor() as cursor:
        with cursor.copy(f"COPY {quote(table_name)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _then_table(subject_type: str) -> Table:
    """A temporary table of the columns a snapshot may change, with their own types (so values convert as the
    table's own would), and which of them changed on each row."""
    source = queries.MODELS[subject_type].__table__
    return Table(THEN_PREFIX + subject_type, MetaData(), Column("id", Integer, primary_key=True),
                 Column("changed", Text), *(Column(name, source.c[name].type) for name in COLUMNS[subject_type]),
                 prefixes=["TEMPORARY"], postgresql_on_commit="DROP")


def _hidden_rows(session: Session, rollbacks: Replayed) -> dict[str, set[int]]:
    """Table name → ids of its rows that were not there yet, among the links, participants and submissions added
    to records that existed. (Records made since are hidden by id, rows stamped with the moment they were added by
    their stamp, and rows belonging to a hidden record with it, by the views.)"""
    hidden: dict[str, set[int]] = {}
    links = [link for result in rollbacks["letter"].values() for link in result.links_added]
    for chunk in range(0, len(links), CHUNK):
        hidden.setdefault(LetterLink.__tablename__, set()).update(session.exec(select(LetterLink.id).where(
            tuple_(LetterLink.from_letter_id, LetterLink.to_letter_id, LetterLink.kind).in_(
                links[chunk:chunk + CHUNK]))))
    for meeting_id, result in rollbacks["meeting"].items():
        for added in result.participants_added:
            hidden.setdefault(MeetingParticipant.__tablename__, set()).update(
                session.exec(select(MeetingParticipant.id).where(*_participant_match(meeting_id, added))))
    submissions = {i for result in rollbacks["comment_period"].values() for i in result.submissions_added}
    if submissions:
        hidden.setdefault("submission", set()).update(submissions)
    return hidden


def _participant_match(meeting_id: int, added: dict):
    table = MeetingParticipant
    if isinstance(added.get("participant_id"), int):
        return (table.id == added["participant_id"],)
    return (table.meeting_id == meeting_id, table.person_id == added.get("person_id"),
            table.party_id == added.get("party_id"), table.role == added.get("role"))


def _fill_hidden_tables(session: Session, hidden: dict[str, set[int]], cutoff: datetime) -> set[str]:
    """A temporary table of the hidden ids of each table that has some (or may have: stamped rows); returns the
    names of the tables that have one."""
    stamped = dict(queries.STAMPED_ROWS)
    stamped_names = {model.__tablename__ for model in stamped}
    names = {*hidden, *stamped_names}
    for name in sorted(names):
        # A stamped table is analysed once its rows are in, below.
        _create_id_table(session, HIDDEN_PREFIX + name, hidden.get(name, ()), analyse=name not in stamped_names)
    connection = session.connection()
    for model, stamp in stamped.items():
        # Rows stamped with the moment they were added are found by their stamp and kept in the database, never
        # fetched. (No view exists yet, so the SELECT reads the table itself.)
        name = HIDDEN_PREFIX + model.__tablename__
        connection.execute(insert(_id_table(name)).from_select(["id"], sql_select(model.id).where(stamp >= cutoff)))
        _count_and_analyse(session, name)
    return names


def _id_table(name: str):
    return sql_table(name, column("id"))


def _create_id_table(session: Session, name: str, ids, analyse: bool = True) -> None:
    """A temporary table of ids, dropped with the savepoint (and at commit on PostgreSQL, should one happen)."""
    connection = session.connection()
    postgres = connection.dialect.name == "postgresql"
    quote = connection.dialect.identifier_preparer.quote
    connection.execute(text(f"CREATE TEMPORARY TABLE {quote(name)} (id INTEGER PRIMARY KEY)"
                            + (" ON COMMIT DROP" if postgres else "")))
    ids = sorted(ids)
    if ids and postgres:
        # One array parameter: a row per id sent one by one costs a round trip each.
        connection.execute(text(f"INSERT INTO {quote(name)} (id) SELECT unnest(CAST(:ids AS integer[]))"),
                           {"ids": ids})
    elif ids:
        for start in range(0, len(ids), CHUNK):
            connection.execute(insert(_id_table(name)), [{"id": record_id} for record_id in ids[start:start + CHUNK]])
    if analyse:
        _count_and_analyse(session, name)


def _count_and_analyse(session: Session, name: str) -> int:
    """How many ids a temporary table holds (a statement's rowcount is not reliable after INSERT … SELECT on every
    driver), with statistics for it on PostgreSQL: without them its planner takes it for large and scans the tables
    joined to it."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"ANALYZE {connection.dialect.identifier_preparer.quote(name)}"))
    return connection.execute(sql_select(func.count()).select_from(_id_table(name))).scalar_one()


def _orphans(session: Session, names: set[str]) -> list[tuple[object, str, list[int]]]:
    """(table, column, ids) of rows still shown whose reference to a hidden row a delete would have set to NULL.
    (Rare: a record made before the day names one made after it only when imported that way.)"""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for foreign_key in sorted(table.foreign_keys, key=lambda fk: fk.parent.name):
            if foreign_key.ondelete != "SET NULL" or foreign_key.column.table.name not in names:
                continue
            reference = foreign_key.parent
            statement = sql_select(table.c.id).where(
                reference.in_(sql_select(_id_table(HIDDEN_PREFIX + foreign_key.column.table.name).c.id)))
            if table.name in names:
                # NOT EXISTS, not NOT IN: PostgreSQL plans NOT IN (subquery) as a scan of the whole table.
                hidden_rows = _id_table(HIDDEN_PREFIX + table.name)
                statement = statement.where(~exists().where(hidden_rows.c.id == table.c.id))
            ids = list(session.execute(statement).scalars())
            if ids:
                found.append((table, reference.name, ids))
    return found


def _create_views(session: Session, names: set[str]) -> None:
    """A temporary view over each table that has hidden rows or belongs to a record with hidden rows through a
    foreign key that deletes with it (as a real delete would), named like the table: the pages read it instead."""
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    # The tables behind the views are named with their schema; the temporary tables and views are not (the
    # temporary schema comes first in name lookup on both databases).
    schema = (connection.execute(text("SELECT current_schema()")).scalar()
              if connection.dialect.name == "postgresql" else "main")
    for table in SQLModel.metadata.sorted_tables:
        conditions = []
        if table.name in names:
            conditions.append(f"NOT EXISTS (SELECT 1 FROM {quote(HIDDEN_PREFIX + table.name)} h WHERE h.id = b.id)")
        for foreign_key in sorted(table.foreign_keys, key=lambda fk: fk.parent.name):
            parent = foreign_key.column.table.name
            if foreign_key.ondelete == "CASCADE" and parent in names:
                conditions.append(f"NOT EXISTS (SELECT 1 FROM {quote(HIDDEN_PREFIX + parent)} h "
                                  f"WHERE h.id = b.{quote(foreign_key.parent.name)})")
        type_column, id_column = queries.TYPED_REFERENCES.get(table.name, (None, None))
        for subject_type, model in queries.MODELS.items() if type_column is not None else ():
            if model.__tablename__ in names:
                conditions.append(f"NOT EXISTS (SELECT 1 FROM {quote(HIDDEN_PREFIX + model.__tablename__)} h "
                                  f"WHERE b.{quote(type_column.name)} = '{subject_type}' "
                                  f"AND h.id = b.{quote(id_column.name)})")
        if conditions:
            connection.execute(text(f"CREATE TEMPORARY VIEW {quote(table.name)} AS SELECT b.* FROM "
                                    f"{quote(schema)}.{quote(table.name)} b WHERE {' AND '.join(conditions)}"))


# SQLite's page cache while a past day is put back and read (KiB, as PRAGMA cache_size takes it when negative).
# Putting back a changed commitment rewrites its entries in each index over its status, all over the table: with
# the default 2 MB cache most of those index pages are read again for each row (2,500 commitments: 250 ms with the
# default, 150 ms with this, at 100,000 letters).
AS_OF_PAGE_CACHE_KIB = 32768
_PAGE_CACHE_BEFORE = "page cache before the record as of a past day"


def widen_page_cache(session: Session) -> None:
    """On SQLite, a page cache of AS_OF_PAGE_CACHE_KIB for this session's connection until narrow_page_cache()."""
    connection = session.connection()
    if connection.dialect.name != "sqlite" or _PAGE_CACHE_BEFORE in session.info:
        return
    session.info[_PAGE_CACHE_BEFORE] = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size=-{AS_OF_PAGE_CACHE_KIB}")


def narrow_page_cache(session: Session) -> None:
    """Give back the page cache widened for a past day, once its savepoint is rolled back (SQLite frees the pages
    beyond the smaller size): the connection goes on serving today's pages with its usual memory."""
    before = session.info.pop(_PAGE_CACHE_BEFORE, None)
    if before is not None:
        session.connection().exec_driver_sql(f"PRAGMA cache_size={int(before)}")


def leftovers(session: Session) -> list[str]:
    """Temporary views still there after the savepoint was rolled back: none, unless something went wrong."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        statement = "SELECT viewname FROM pg_views WHERE schemaname = pg_my_temp_schema()::regnamespace::text"
    else:
        statement = "SELECT name FROM sqlite_temp_master WHERE type = 'view'"
    return list(connection.execute(text(statement)).scalars())
