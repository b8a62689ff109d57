"""Migration 0015 on the database under test (SQLite by default, PostgreSQL with TRACKER_TEST_DATABASE_URL):
existing commitments get no phase, the reference holds, and the downgrade keeps every commitment and index."""
from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.exc import IntegrityError

from tracker.migrate import alembic_config

INSERT_COMMITMENT = text(
    "INSERT INTO commitment (kind, title, quote, due_phrase, due_precision, baseline_phrase, status, progress, "
    "outcome, created_at, updated_at) VALUES ('request', 'Extend the comment period', '', 'by 14 April', 'day', "
    "'by 14 April', 'open', 0, '', '2010-03-26 12:00:00+00:00', '2010-03-26 12:00:00+00:00')")
INSERT_PHASE = text("INSERT INTO phase (kind, name, position, created_at) "
                    "VALUES ('request', 'Understand', 1, '2010-04-01 12:00:00+00:00')")


def _engine(url: str):
    engine = create_engine(url)
    if url.startswith("sqlite"):
        # As the application's connections do (tracker.db): SQLite checks references only when asked to.
        event.listen(engine, "connect", lambda connection, _record: connection.execute("PRAGMA foreign_keys=ON"))
    return engine


def _commitment_indexes(connection, url: str) -> set[str]:
    catalogue = ("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'commitment'"
                 if url.startswith("sqlite") else "SELECT indexname FROM pg_indexes WHERE tablename = 'commitment'")
    return set(connection.execute(text(catalogue)).scalars())


def test_phases_migrate_up_and_down_keeping_every_commitment(empty_database_url):
    url, config = empty_database_url, alembic_config(empty_database_url)
    command.upgrade(config, "0013")  # the revision before phases
    engine = _engine(url)
    try:
        with engine.begin() as connection:
            before_indexes = _commitment_indexes(connection, url)
            connection.execute(INSERT_COMMITMENT)

        command.upgrade(config, "0015")
        with engine.begin() as connection:
            assert connection.execute(text("SELECT phase_id FROM commitment")).scalars().all() == [None]
            assert _commitment_indexes(connection, url) == before_indexes | {"ix_commitment_phase_id"}
            connection.execute(INSERT_PHASE)
            phase_id = connection.execute(text("SELECT id FROM phase")).scalar_one()
            connection.execute(text("UPDATE commitment SET phase_id = :p"), {"p": phase_id})
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("UPDATE commitment SET phase_id = 424242"))
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(INSERT_PHASE)  # the same name twice for one kind

        command.downgrade(config, "0013")
        with engine.begin() as connection:
            assert connection.execute(text("SELECT title FROM commitment")).scalars().all() == [
                "Extend the comment period"]
            assert _commitment_indexes(connection, url) == before_indexes
        engine.dispose()
        assert "phase" not in inspect(engine).get_table_names()
        assert "phase_id" not in {column["name"] for column in inspect(engine).get_columns("commitment")}
        command.upgrade(config, "head")
    finally:
        engine.dispose()
