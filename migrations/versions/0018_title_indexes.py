"""title indexes for typeahead

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 01:10:00

The letters and commitments pickers find titles whose words start with the words typed ("organi" finds
"Organization"). The search index (0008) stems its words, so it cannot: here each of the two types gets an index of
its titles' words as written, case and accents folded. SQLite: an FTS5 table per type (rowid = search_document.id)
with prefix indexes for the first one, two and three letters, filled from search_document, and an fts5vocab table
of its words (a longer typed word is looked up there and searched as the few words it starts: FTS5 answers a
prefix with no prefix index of its length by gathering every match first; the "instance" kind seeks from word to
word, where the "row" kind counts each word's matches). PostgreSQL: a GIN index
per type on the simple (unstemmed) tsvector of the title, partial on the record type; accents are dropped (NFD, then
the combining marks) and ASCII punctuation made a space, so both databases split and fold a title alike. The expression is copied
here as it was made: tracker.search.models.title_vector_sql must write the same (tests/pickers checks the planner
uses the index).
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0018'
down_revision: Union[str, None] = '0017'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

TYPES = ("letter", "commitment")

# The title with accents dropped and ASCII punctuation made spaces, as tracker.search.models.title_vector_sql writes it.
VECTOR = ("to_tsvector('simple'::regconfig, regexp_replace(regexp_replace(normalize(title, NFD), "
          "'[\\u0300-\\u036f]+', '', 'g'), '[!-/:-@[-`{-~]+', ' ', 'g'))")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for record_type in TYPES:
            op.execute(f"CREATE VIRTUAL TABLE {record_type}_title_fts USING fts5(title, "
                       "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')")
            op.execute(f"INSERT INTO {record_type}_title_fts (rowid, title) "
                       f"SELECT id, title FROM search_document WHERE record_type = '{record_type}'")
            op.execute(f"CREATE VIRTUAL TABLE {record_type}_title_vocab USING fts5vocab({record_type}_title_fts, instance)")
        return
    for record_type in TYPES:
        op.execute(f"CREATE INDEX ix_search_document_{record_type}_title ON search_document USING gin ({VECTOR}) "
                   f"WHERE record_type = '{record_type}'")


def downgrade() -> None:
    for record_type in TYPES:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"DROP TABLE {record_type}_title_vocab")
            op.execute(f"DROP TABLE {record_type}_title_fts")
        else:
            op.execute(f"DROP INDEX ix_search_document_{record_type}_title")
