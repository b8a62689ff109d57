"""event index by kind and time, with the subject

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 21:40:00

The record as of a past day lists the records changed since then (tracker/snapshots): with only (kind,
occurred_at) indexed, each of the thousands of events since a day far back was read from the table to learn its
subject. With the subject in the index the lists come from the index alone. It serves the digests' "done since"
lookups as the index it replaces did.
"""
from typing import Sequence, Union

from alembic import op


revision: str = '0016'
down_revision: Union[str, None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_index('ix_event_kind_occurred_subject', 'event', ['kind', 'occurred_at', 'subject_type', 'subject_id'])
    op.drop_index('ix_event_kind_occurred_at', table_name='event')


def downgrade() -> None:
    op.create_index('ix_event_kind_occurred_at', 'event', ['kind', 'occurred_at'])
    op.drop_index('ix_event_kind_occurred_subject', table_name='event')
