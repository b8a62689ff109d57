"""search index

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 15:10:00

search_document holds each record's searchable words (tracker.search). SQLite indexes a copy in the FTS5
table search_fts; PostgreSQL a stored tsvector column with a GIN index. Existing records are indexed here,
so an upgraded database is searchable at once.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString()


revision: str = '0008'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

VECTOR = ("setweight(to_tsvector('english'::regconfig, title), 'A') || "
          "setweight(to_tsvector('english'::regconfig, body), 'B')")


def upgrade() -> None:
    op.create_table('search_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_type', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('dated', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_search_document_record', 'search_document', ['record_type', 'record_id'], unique=True)
    op.create_index(op.f('ix_search_document_dated'), 'search_document', ['dated'], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize='porter unicode61')")
    else:
        op.execute(f"ALTER TABLE search_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED")
        op.execute("CREATE INDEX ix_search_document_fulltext ON search_document USING gin (search_vector)")
    from tracker.search.operations import rebuild

    rebuild(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    op.drop_index(op.f('ix_search_document_dated'), table_name='search_document')
    op.drop_index('ix_search_document_record', table_name='search_document')
    op.drop_table('search_document')
