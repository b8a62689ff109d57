"""party default owner

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 18:00:00

A party can name the staff member who looks after that group's commitments. Intake and the new-commitment
form prefill it as the owner when nothing closer is known, so a saved commitment reaches someone's digest.
Removing the person leaves the party without a default owner.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


revision: str = '0010'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # Batch mode: SQLite adds a foreign key only by rebuilding the table.
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('default_owner_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_party_default_owner_id_person', 'person', ['default_owner_id'], ['id'],
                                    ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('party', schema=None) as batch_op:
        batch_op.drop_constraint('fk_party_default_owner_id_person', type_='foreignkey')
        batch_op.drop_column('default_owner_id')
