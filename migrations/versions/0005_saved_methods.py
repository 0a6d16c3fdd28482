"""saved methods

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 14:04:35.307362
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('saved_method',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_id'], ['facilitator.id'], name=op.f('fk_saved_method_owner_id_facilitator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_method'))
    )
    with op.batch_alter_table('saved_method', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_method_owner_id'), ['owner_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('saved_method', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_method_owner_id'))

    op.drop_table('saved_method')
