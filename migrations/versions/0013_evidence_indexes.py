"""evidence indexes

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-01 18:20:00

Deleting a letter or a meeting sets the commitments that named it as evidence to NULL: without an index on
those columns each deleted row makes the database read every commitment. The record as of a past day removes
the letters and meetings logged since, thousands at 100k letters (tracker/snapshots), and took minutes without
these indexes; the same holds for staff deleting a letter on PostgreSQL.
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0013'
down_revision: Union[str, None] = '0011'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXES = (("ix_commitment_evidence_letter_id", "commitment", "evidence_letter_id"),
           ("ix_commitment_evidence_meeting_id", "commitment", "evidence_meeting_id"),
           ("ix_comment_period_extension_requested_in_letter_id", "comment_period_extension",
            "requested_in_letter_id"))


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _column in INDEXES:
        op.drop_index(name, table_name=table)
