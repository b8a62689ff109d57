"""Engine, one session per request, SQLite pragmas and the column types shared by every model.

SQLite: foreign keys on for every connection, WAL so readers never wait for the writer, and writes
start with BEGIN IMMEDIATE so a read-then-write transaction waits for the lock instead of failing
with "database is locked". Reads keep a plain BEGIN so they never queue behind a writer.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import click
from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import DateTime, create_engine, event
from sqlalchemy.dialects.sqlite.base import SQLiteCompiler
from sqlalchemy.engine import Engine
from sqlalchemy.engine import cursor as fetch_strategies
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Bundle
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session

from tracker.clock import UTC, ensure_utc

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


class UTCDateTime(TypeDecorator):
    """Aware UTC in, aware UTC out; naive values are refused. SQLite stores them as naive UTC text."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        value = ensure_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Ref(Bundle):
    """A few columns of a related record, read as one light row (ref.id, ref.name, ...) instead of a whole mapped
    object: lists name hundreds of related parties and people per page, and building, tracking and converting every
    column of each costs more than the query. None when an outer join found no record (its first column is NULL)."""

    def create_row_processor(self, query, procs, labels):
        make_row = super().create_row_processor(query, procs, labels)

        def ref_or_none(row):
            ref = make_row(row)
            return None if ref[0] is None else ref
        return ref_or_none


class SQLiteCompilerWithIndexHints(SQLiteCompiler):
    """Writes a statement's with_hint(table, "INDEXED BY <index>", "sqlite") after the table's name (SQLAlchemy
    leaves SQLite's hints out): for the few reads whose best index SQLite's sampled statistics misjudge."""

    def get_from_hint_text(self, table, text):
        return text


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        engine.dialect.statement_compiler = SQLiteCompilerWithIndexHints
        _configure_sqlite(engine)
        return engine
    # psycopg prepares a statement run a few times on a connection, so PostgreSQL stops parsing and planning it
    # afresh; requests that wrote nothing end in COMMIT to keep them (end_request). A page of a past day reads
    # through temporary views named like the tables, which statements prepared before would not see: it runs its
    # statements unprepared (stop_preparing, from tracker.snapshots).
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # The driver's own transaction handling would hide our BEGIN IMMEDIATE and break SAVEPOINTs.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Database:
    """Holds the engine; hands out sessions. Tests may replace `session_override` with their own."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.session_override: Session | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    def new_session(self, write: bool = False) -> Session:
        if self.session_override is not None:
            return self.session_override
        bind = self.engine.execution_options(sqlite_immediate=True) if write and self.is_sqlite else self.engine
        return Session(bind=bind, expire_on_commit=False)


def init_app(app: Flask) -> None:
    app.extensions["db"] = Database(app.config["DATABASE_URL"])

    @app.teardown_appcontext
    def _close_session(exc):
        session = g.pop("db_session", None)
        if session is not None and session is not app.extensions["db"].session_override:
            try:
                if exc is None:
                    end_request(session)
            finally:
                session.close()  # whatever happened above: the connection goes back to the pool


def end_request(session: Session) -> None:
    """End, on PostgreSQL, a request's transaction that wrote nothing with COMMIT rather than the ROLLBACK of closing
    the session: psycopg forgets the connection's prepared statements at every rollback, and most requests only
    read. Whether anything was written is asked of the server (a transaction gets an id at its first write, even
    one rolled back to a savepoint since), so a request that wrote and did not commit is still rolled back."""
    if session.get_bind().dialect.name != "postgresql" or not session.in_transaction():
        return
    connection = session.connection()
    # Only a transaction still usable can be asked (one a handled error aborted is left to the rollback).
    if connection.connection.driver_connection.info.transaction_status.name != "INTRANS":
        return
    if connection.exec_driver_sql("SELECT txid_current_if_assigned()").scalar() is None:
        session.commit()


# The connection's prepare threshold while a past day is shown (tracker.snapshots), set back after the page.
_PREPARE_THRESHOLD_BEFORE = "prepare threshold before the record as of a past day"


def stop_preparing(session: Session) -> None:
    """On PostgreSQL, run this session's statements unprepared until resume_preparing(): a page of a past day reads
    through temporary views named like the tables, and a statement prepared before them would go on reading the
    tables (PostgreSQL parses a prepared statement again when the schemas searched change, not when a view is made
    in one). The statements prepared before stay, for the pages of today that follow."""
    connection = session.connection()
    if connection.dialect.name != "postgresql" or _PREPARE_THRESHOLD_BEFORE in session.info:
        return
    driver = connection.connection.driver_connection
    session.info[_PREPARE_THRESHOLD_BEFORE] = driver.prepare_threshold
    driver.prepare_threshold = None  # psycopg then neither prepares nor runs a prepared statement


def resume_preparing(session: Session) -> None:
    """Give the connection back its prepare threshold, once the past day's views are gone."""
    if _PREPARE_THRESHOLD_BEFORE in session.info:
        threshold = session.info.pop(_PREPARE_THRESHOLD_BEFORE)
        session.connection().connection.driver_connection.prepare_threshold = threshold


def database() -> Database:
    return current_app.extensions["db"]


def get_session() -> Session:
    """The session of this request or app context; write requests start with BEGIN IMMEDIATE."""
    if "db_session" not in g:
        write = has_request_context() and request.method in WRITE_METHODS
        g.db_session = database().new_session(write=write)
    return g.db_session


@contextlib.contextmanager
def write_session():
    """A session for a CLI command or job: commits on success (the caller's one commit), rolls back on error."""
    db = database()
    session = db.new_session(write=True)
    try:
        yield session
        if session is not db.session_override:
            session.commit()
        else:
            session.flush()
    except BaseException:
        if session is not db.session_override:
            session.rollback()
        raise
    finally:
        if session is not db.session_override:
            session.close()


# ANALYZE reads at most about this many rows per index: seconds at most on millions of rows, and
# estimates good enough for the planner (SQLite's own advice for periodic runs).
SQLITE_ANALYSIS_LIMIT = 1000


@dataclass(frozen=True)
class StatisticsReport:
    backend: str
    refreshed: bool
    seconds: float

    def summary(self) -> str:
        if not self.refreshed:
            return f"{self.backend}: left to autovacuum"
        return f"{self.backend}: planner statistics refreshed in {self.seconds:.2f}s"


def refresh_planner_statistics(engine: Engine) -> StatisticsReport:
    """Gather the statistics SQLite's query planner chooses indexes by.

    SQLite keeps none unless asked (ANALYZE): without them it guesses, and on a large database it
    guesses wrong, e.g. it reads every done commitment to count one party's instead of that party's
    few hundred. Run daily by the scheduler and once by migration 0003. PostgreSQL's autovacuum
    already keeps its statistics current, so it is left alone.
    """
    started = time.monotonic()
    if engine.dialect.name != "sqlite":
        return StatisticsReport(engine.dialect.name, False, 0.0)
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE")
    return StatisticsReport("sqlite", True, time.monotonic() - started)


SCHEMA_MISSING_HINT = ("The database has no tables yet: create them with "
                       "`flask --app app db upgrade` (then `flask --app app demo load` for the sample record).")
# SQLite says "no such table"; PostgreSQL raises SQLSTATE 42P01 (undefined_table).
_UNDEFINED_TABLE = "42P01"


def is_schema_missing(error: BaseException) -> bool:
    """True when ``error`` comes from querying a database that was never migrated."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    return (getattr(original, "sqlstate", None) == _UNDEFINED_TABLE
            or "no such table" in str(original))


def hint_when_schema_missing(command):
    """Make a CLI command (or group) say how to create the tables instead of printing a
    traceback, when the database was never migrated."""
    invoke = command.invoke

    def invoke_with_hint(ctx):
        try:
            return invoke(ctx)
        except DBAPIError as error:
            if is_schema_missing(error):
                raise click.ClickException(SCHEMA_MISSING_HINT) from error
            raise

    command.invoke = invoke_with_hint
    return command


class StatementCounter:
    """Counts SQL statements sent by an engine (benchmarks, N+1 tests)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.count = 0

    def _count(self, *_args, **_kwargs):
        self.count += 1

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)


class RowCounter:
    """Counts rows fetched from the database while active, whatever the engine (benchmarks, bounded-page tests).

    SQLAlchemy hands every result row over through its cursor fetch strategies; wrapping their fetch methods
    counts what a page really pulled from the database, which statement counts alone do not show.
    """

    def __init__(self):
        self.count = 0
        self._originals: list[tuple[type, str, object]] = []

    def __enter__(self):
        for strategy in (fetch_strategies.CursorFetchStrategy, fetch_strategies.BufferedRowCursorFetchStrategy,
                         fetch_strategies.FullyBufferedCursorFetchStrategy):
            for name in ("fetchone", "fetchmany", "fetchall"):
                original = strategy.__dict__.get(name)
                if original is not None:
                    self._originals.append((strategy, name, original))
                    setattr(strategy, name, self._counting(original, single=name == "fetchone"))
        return self

    def _counting(self, fetch, single: bool):
        def counted(*args, **kwargs):
            rows = fetch(*args, **kwargs)
            self.count += (rows is not None) if single else len(rows)
            return rows
        return counted

    def __exit__(self, *exc):
        for strategy, name, original in reversed(self._originals):
            setattr(strategy, name, original)
        self._originals.clear()
