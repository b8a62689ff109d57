"""phases

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-01 18:00:00

Admin-defined phases per commitment kind (tracker.phases.models.Phase), and the phase a commitment sits in
(commitment.phase_id, nullable: phases are optional).
"""
import warnings
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # autogenerate writes sqlmodel.sql.sqltypes.AutoString()
import tracker.db  # autogenerate writes tracker.db.UTCDateTime()


revision: str = '0015'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

# The commitment indexes on expressions that SQLite's reflection skips: a batch rebuild of the table
# (the downgrade on SQLite) would lose them, so they are made again after it, as 0003 and 0009 made them.
UNDATED_LAST = sa.text("(due_latest IS NULL)")
ACTIVE = sa.text("status IN ('open', 'in_progress')")


def upgrade() -> None:
    op.create_table('phase',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('retired_at', tracker.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', tracker.db.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'name', name='uq_phase_kind_name')
    )
    op.create_index('ix_phase_kind_position', 'phase', ['kind', 'position'], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a column with its reference in one statement (ALTER TABLE cannot add a constraint
        # later); a column that starts NULL everywhere needs no rebuild of the table.
        op.execute("ALTER TABLE commitment ADD COLUMN phase_id INTEGER REFERENCES phase (id)")
    else:
        op.add_column('commitment', sa.Column('phase_id', sa.Integer(), nullable=True))
        op.create_foreign_key('commitment_phase_id_fkey', 'commitment', 'phase', ['phase_id'], ['id'])
    op.create_index('ix_commitment_phase_id', 'commitment', ['phase_id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_commitment_phase_id', table_name='commitment')
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column that holds a reference: the table is rebuilt without it.
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*expression-based index.*")  # made again below
            with op.batch_alter_table('commitment', recreate='always') as batch_op:
                batch_op.drop_column('phase_id')
        _restore_expression_indexes()
    else:
        op.drop_constraint('commitment_phase_id_fkey', 'commitment', type_='foreignkey')
        op.drop_column('commitment', 'phase_id')
    op.drop_index('ix_phase_kind_position', table_name='phase')
    op.drop_table('phase')


def _restore_expression_indexes() -> None:
    existing = set(op.get_bind().execute(sa.text(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'commitment'")).scalars())
    if "ix_commitment_due_order" not in existing:
        op.create_index("ix_commitment_due_order", "commitment", [UNDATED_LAST, "due_latest", "id"])
    if "ix_commitment_status_due_order" not in existing:
        op.create_index("ix_commitment_status_due_order", "commitment", ["status", UNDATED_LAST, "due_latest", "id"])
    if "ix_commitment_active_due_order" not in existing:
        op.create_index("ix_commitment_active_due_order", "commitment", ["due_latest", "id"], sqlite_where=ACTIVE)
