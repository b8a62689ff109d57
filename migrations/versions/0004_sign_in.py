"""sign-in: session version, Entra ID subject, last sign-in

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 15:00:00

session_version is stamped into every session and remember-me cookie at sign-in; raising it
(sign-out, deactivation, a password change) makes every copy of those cookies stop working at once.
entra_subject binds an account to one Microsoft Entra ID identity (tenant id and object id) once it
has signed in that way, so a later change of the address in the directory cannot move it elsewhere.
"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel

from tracker.db import UTCDateTime


revision: str = '0004'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("entra_subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch.add_column(sa.Column("last_signed_in_at", UTCDateTime(timezone=True), nullable=True))
        batch.create_unique_constraint("uq_user_account_entra_subject", ["entra_subject"])


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.drop_constraint("uq_user_account_entra_subject", type_="unique")
        batch.drop_column("last_signed_in_at")
        batch.drop_column("entra_subject")
        batch.drop_column("session_version")
