"""notices

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 18:00:00

Recipients choose how they are told that a promise moved or that something was assigned to them
(immediately, in their digest, never; "in my digest" by default), and each notice is a row, unique per
recipient and event (tracker.notices.models.Notice).
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString()
import tracker.db  # autogenerate writes tracker.db.UTCDateTime()


revision: str = '0011'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('digest_recipient') as batch:
        batch.add_column(sa.Column('notify_moves', sqlmodel.sql.sqltypes.AutoString(length=12),
                                   server_default='digest', nullable=False))
        batch.add_column(sa.Column('notify_assigned', sqlmodel.sql.sqltypes.AutoString(length=12),
                                   server_default='digest', nullable=False))
    op.create_table('notice',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('commitment_id', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('delivery', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.Column('created_at', tracker.db.UTCDateTime(), nullable=False),
    sa.Column('delivered_at', tracker.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['commitment_id'], ['commitment.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['digest_id'], ['digest.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['digest_recipient.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('recipient_id', 'event_id', name='uq_notice_recipient_event')
    )
    op.create_index('ix_notice_state_delivery_recipient', 'notice', ['state', 'delivery', 'recipient_id'])
    op.create_index(op.f('ix_notice_commitment_id'), 'notice', ['commitment_id'])
    op.create_index(op.f('ix_notice_digest_id'), 'notice', ['digest_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_notice_digest_id'), table_name='notice')
    op.drop_index(op.f('ix_notice_commitment_id'), table_name='notice')
    op.drop_index('ix_notice_state_delivery_recipient', table_name='notice')
    op.drop_table('notice')
    with op.batch_alter_table('digest_recipient') as batch:
        batch.drop_column('notify_assigned')
        batch.drop_column('notify_moves')
