"""agreements

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 13:25:40.842558
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=True),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('owner_party_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('type', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['owner_party_id'], ['party.id'], name=op.f('fk_agreement_owner_party_id_party'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['step_id'], ['step.id'], name=op.f('fk_agreement_step_id_step'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_agreement_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement'))
    )
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_step_id'), ['step_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('agreement_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('level', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_response_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_agreement_response_participant_id_participant'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['party_id'], ['party.id'], name=op.f('fk_agreement_response_party_id_party')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_response')),
    sa.UniqueConstraint('agreement_id', 'participant_id', name='uq_agreement_response_participant')
    )
    with op.batch_alter_table('agreement_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_response_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_response_participant_id'), ['participant_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('agreement_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_response_participant_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_response_agreement_id'))

    op.drop_table('agreement_response')
    with op.batch_alter_table('agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_step_id'))

    op.drop_table('agreement')
