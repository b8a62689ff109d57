from __future__ import annotations

import re
import unicodedata
from datetime import date

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

# Searchable record types, in the order results of equal rank are shown; each has a label for people.
RECORD_TYPES = {"letter": "Letter", "commitment": "Commitment", "meeting": "Meeting",
                "comment_period": "Comment period", "party": "Party", "person": "Person"}
# Full-text structures beside search_document, made by migration 0008 (and 0018 for titles, below) for one database
# only; Alembic's comparison of models and database leaves them alone (migrations/env.py, include_object).
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

# Typeahead over titles (the letters and commitments pickers). The index above stems ("organization" is kept as
# "organ"), so a partly typed "organi" finds nothing in it; these indexes keep each title's words as written, case
# and accents folded, and find the words a typed prefix starts. One per record type (an FTS5 table on SQLite, a
# partial GIN index on PostgreSQL), so a word common in one type's titles costs nothing when picking another type.
# Made by migration 0018, which holds its own copy of the expression below: changing it needs a migration.
TITLE_INDEXED_TYPES = ("letter", "commitment")


def title_fts_table(record_type: str) -> str:
    """SQLite: the FTS5 table of one type's titles (rowid = search_document.id)."""
    return f"{record_type}_title_fts"


def title_vocabulary(record_type: str) -> str:
    """SQLite: the fts5vocab table (kind "instance") of the words of one type's title table: where a typed word's
    possible endings are read, one seek each."""
    return f"{record_type}_title_vocab"


def title_index(record_type: str) -> str:
    """PostgreSQL: the GIN index of one type's titles, partial on search_document.record_type."""
    return f"ix_search_document_{record_type}_title"


# How PostgreSQL folds a title as SQLite's unicode61 tokenizer (remove_diacritics 2) does, without an extension
# (unaccent): decomposed (NFD), its combining accents dropped ("Ångström" → "Angstrom"), and ASCII punctuation made a
# space. PostgreSQL's parser would keep "dns-cert", "icann.org", "chris@example.org" and "2.0" as one word each where
# unicode61 splits them. (translate() with a table of accented letters did the same at 70 µs a title; this 8 µs.)
COMBINING_ACCENTS = "[\\u0300-\\u036f]+"
ASCII_PUNCTUATION = "[!-/:-@[-`{-~]+"
_COMBINING = re.compile("[\u0300-\u036f]+")


def fold_title_word(word: str) -> str:
    """A typed word as the indexes hold it, in Python: lower case, accents dropped."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", word)).lower()


def title_folded_sql(expression: str) -> str:
    """PostgreSQL: the text of `expression` with accents dropped and punctuation made spaces (see above)."""
    return (f"regexp_replace(regexp_replace(normalize({expression}, NFD), '{COMBINING_ACCENTS}', '', 'g'), "
            f"'{ASCII_PUNCTUATION}', ' ', 'g')")


def title_vector_sql(column: str = "title") -> str:
    """PostgreSQL: the indexed expression of a title, written out as the index was made (the planner uses the index
    only for this very expression, constants included)."""
    return f"to_tsvector('simple'::regconfig, {title_folded_sql(column)})"


def include_object(_object, name: str | None, type_: str, _reflected, _compare_to) -> bool:
    """Alembic's filter: leave out the database-specific full-text tables, column and index, which the models
    cannot describe (migrations/env.py, and the test that compares models with migrations)."""
    name = name or ""
    fts_tables = (SQLITE_FTS_TABLE, *(f"{t}_title_" for t in TITLE_INDEXED_TYPES))
    indexes = {POSTGRES_INDEX, *(title_index(t) for t in TITLE_INDEXED_TYPES)}
    return not ((type_ == "table" and name.startswith(fts_tables)) or (type_ == "index" and name in indexes)
                or (type_ == "column" and name == POSTGRES_COLUMN))
