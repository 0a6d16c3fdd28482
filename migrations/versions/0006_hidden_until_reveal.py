"""hidden until reveal

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 14:22:44.679621
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('step', schema=None) as batch_op:
        batch_op.add_column(sa.Column('results_hidden', sa.Boolean(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('step', schema=None) as batch_op:
        batch_op.drop_column('results_hidden')

