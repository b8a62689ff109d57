"""Migrations and models describe the same schema, and every migration can be undone."""
import warnings

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from tracker import models  # noqa: F401  (registers every table)
from tracker.migrate import alembic_config, upgrade
from tracker.search.models import include_object


def test_head_matches_the_models(database_url):
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection, warnings.catch_warnings():
            # Alembic cannot compare expression indexes (it says so in a warning): tested below.
            warnings.filterwarnings("ignore", message=".*expression-based index.*")
            context = MigrationContext.configure(connection, opts={"include_object": include_object})
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_expression_indexes_of_the_models_exist_after_upgrade(database_url):
    # Read from the catalogue: SQLAlchemy's reflection skips expression indexes on SQLite.
    catalogue = ("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'commitment'"
                 if database_url.startswith("sqlite")
                 else "SELECT indexname FROM pg_indexes WHERE tablename = 'commitment'")
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            names = set(connection.execute(text(catalogue)).scalars())
    finally:
        engine.dispose()
    modelled = {index.name for index in SQLModel.metadata.tables["commitment"].indexes}
    assert modelled <= names, modelled - names


def test_every_migration_downgrades_to_an_empty_database_and_back(empty_database_url):
    upgrade(empty_database_url)
    command.downgrade(alembic_config(empty_database_url), "base")
    engine = create_engine(empty_database_url)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    upgrade(empty_database_url)
