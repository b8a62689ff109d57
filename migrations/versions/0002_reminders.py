"""reminders

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 12:13:44.787665
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString()
import tracker.db  # autogenerate writes tracker.db.UTCDateTime()


revision: str = '0002'
down_revision: Union[str, None] = '0001'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Reminders: recipients and their preferences, party subscriptions, one row per digest.
    op.create_table('digest_recipient',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('include_own', sa.Boolean(), nullable=False),
    sa.Column('frequency', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('weekday', sa.Integer(), nullable=False),
    sa.Column('send_time', sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('due_soon_days', sa.Integer(), nullable=False),
    sa.Column('send_when_empty', sa.Boolean(), nullable=False),
    sa.Column('paused', sa.Boolean(), nullable=False),
    sa.Column('unsubscribed_at', tracker.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_digest_at', tracker.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', tracker.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', tracker.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('person_id')
    )
    with op.batch_alter_table('digest_recipient', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digest_recipient_user_id'), ['user_id'], unique=False)

    op.create_table('digest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('scheduled_for', tracker.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('to_address', sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
    sa.Column('subject', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('text_body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('html_body', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('message_id', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('raw_message', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', tracker.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_at', tracker.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('sent_at', tracker.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('transport', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('resend_of_id', sa.Integer(), nullable=True),
    sa.Column('created_at', tracker.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recipient_id'], ['digest_recipient.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['resend_of_id'], ['digest.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('recipient_id', 'period', name='uq_digest_recipient_period')
    )
    with op.batch_alter_table('digest', schema=None) as batch_op:
        batch_op.create_index('ix_digest_state_next', ['state', 'next_attempt_at'], unique=False)

    op.create_table('digest_subscription',
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recipient_id'], ['digest_recipient.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('recipient_id', 'party_id')
    )
    with op.batch_alter_table('digest_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digest_subscription_party_id'), ['party_id'], unique=False)

    # "Done since the last digest": done events by kind and time.
    op.create_index('ix_event_kind_occurred_at', 'event', ['kind', 'occurred_at'], unique=False)



def downgrade() -> None:
    op.drop_index('ix_event_kind_occurred_at', table_name='event')
    # Children first.
    with op.batch_alter_table('digest_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_subscription_party_id'))

    op.drop_table('digest_subscription')
    with op.batch_alter_table('digest', schema=None) as batch_op:
        batch_op.drop_index('ix_digest_state_next')

    op.drop_table('digest')
    with op.batch_alter_table('digest_recipient', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_recipient_user_id'))

    op.drop_table('digest_recipient')
