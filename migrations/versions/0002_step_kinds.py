"""step kinds: step config and structured answers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 13:10:28.275300
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('value', sa.JSON(none_as_null=True), nullable=True))
        batch_op.create_index('uq_answer_one_response', ['participant_id', 'step_id'], unique=True, sqlite_where=sa.text('value IS NOT NULL'), postgresql_where=sa.text('value IS NOT NULL'))

    with op.batch_alter_table('step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('config', sa.JSON(), server_default='{}', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('step', schema=None) as batch_op:
        batch_op.drop_column('config')

    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index('uq_answer_one_response', sqlite_where=sa.text('value IS NOT NULL'), postgresql_where=sa.text('value IS NOT NULL'))
        batch_op.drop_column('value')

