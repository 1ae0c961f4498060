"""complaint deadlines and need-to-know: severity, the liaison device referred to, targets

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.add_column(sa.Column('severity', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('liaison_device_id', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_complaint_liaison_device_id'), ['liaison_device_id'],
                              unique=False)
    op.create_table('complaint_target',
    sa.Column('platform_id', sa.String(length=36), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('severity', sa.String(length=40), nullable=True),
    sa.Column('review_days', sa.Integer(), nullable=True),
    sa.Column('referral_days', sa.Integer(), nullable=True),
    sa.Column('resolution_days', sa.Integer(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_target'))
    )
    with op.batch_alter_table('complaint_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_target_platform_id'), ['platform_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('complaint_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_target_platform_id'))
    op.drop_table('complaint_target')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_liaison_device_id'))
        batch_op.drop_column('liaison_device_id')
        batch_op.drop_column('severity')
