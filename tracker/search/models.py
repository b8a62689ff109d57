from __future__ import annotations

from datetime import date

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

# Searchable record types, in the order results of equal rank are shown; each has a label for people.
RECORD_TYPES = {"letter": "Letter", "commitment": "Commitment", "meeting": "Meeting",
                "comment_period": "Comment period", "party": "Party", "person": "Person"}
# Full-text structures beside search_document, made by migration 0008 for one database only; Alembic's
# comparison of models and database leaves them alone (migrations/env.py, include_object).
SQLITE_FTS_TABLE = "search_fts"
POSTGRES_INDEX = "ix_search_document_fulltext"


class SearchDocument(SQLModel, table=True):
    """One searchable record's text: its title, the rest of its words, and the day it is dated by.

    Kept in step with the record by the event handlers in tracker.search.handlers, inside the transaction
    that changed the record. SQLite indexes a copy in the FTS5 table search_fts (rowid = id); PostgreSQL
    indexes title and body with a GIN expression index.
    """

    __tablename__ = "search_document"
    __table_args__ = (Index("ix_search_document_record", "record_type", "record_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    record_type: str = Field(max_length=16)
    record_id: int
    title: str = Field(default="", sa_type=Text)
    body: str = Field(default="", sa_type=Text)
    dated: date | None = Field(default=None, index=True)


POSTGRES_COLUMN = "search_vector"


def include_object(_object, name: str | None, type_: str, _reflected, _compare_to) -> bool:
    """Alembic's filter: leave out the database-specific full-text tables, column and index, which the models
    cannot describe (migrations/env.py, and the test that compares models with migrations)."""
    name = name or ""
    return not ((type_ == "table" and name.startswith(SQLITE_FTS_TABLE)) or (type_ == "index" and name == POSTGRES_INDEX)
                or (type_ == "column" and name == POSTGRES_COLUMN))
