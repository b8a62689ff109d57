"""Migrations run on a database full of rows that refer to each other, as an upgrade in production does: a
table other rows point at can be rebuilt (SQLite batch mode) without losing or orphaning a row."""
from alembic import command
from sqlalchemy import create_engine, text

from tests.conftest import testing_config
from tracker import create_app
from tracker.db import write_session
from tracker.demo.load import load_sample_record
from tracker.migrate import alembic_config, upgrade

COUNTED = ("party", "person", "role", "letter", "letter_participant", "letter_link", "commitment",
           "commitment_party", "meeting", "meeting_participant", "comment_period", "submission", "event")


def _counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                    for table in COUNTED}
    finally:
        engine.dispose()


def test_migrating_down_and_up_again_keeps_every_row_of_the_sample_record(empty_database_url):
    upgrade(empty_database_url)
    app = create_app(testing_config(empty_database_url))
    with app.app_context(), write_session() as session:
        load_sample_record(session)
    app.extensions["db"].engine.dispose()
    before = _counts(empty_database_url)
    assert before["commitment_party"] > 0 and before["letter_participant"] > 0

    # 0009 is the revision before the tables parties and commitments are referred from were altered.
    command.downgrade(alembic_config(empty_database_url), "0009")
    assert _counts(empty_database_url) == before
    upgrade(empty_database_url)
    assert _counts(empty_database_url) == before
