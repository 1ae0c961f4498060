"""sync by file: peers' vectors, outbox, import ledger, events held aside

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('held_event',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hlc', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('signature', sa.String(length=100), nullable=False),
    sa.Column('reason', sa.String(length=10), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', 'seq', name=op.f('pk_held_event'))
    )
    op.create_table('import_ledger',
    sa.Column('bundle_id', sa.String(length=36), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('sender', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=40), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('known', sa.Integer(), nullable=False),
    sa.Column('conflicts', sa.Integer(), nullable=False),
    sa.Column('held', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('bundle_id', name=op.f('pk_import_ledger'))
    )
    with op.batch_alter_table('import_ledger', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_ledger_file_sha256'), ['file_sha256'], unique=False)

    op.create_table('outbox',
    sa.Column('bundle_id', sa.String(length=36), nullable=False),
    sa.Column('to_devices', sa.Text(), nullable=False),
    sa.Column('vector', sa.Text(), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('folder', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('acked_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('bundle_id', name=op.f('pk_outbox'))
    )
    op.create_table('sync_peer',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('proven', sa.Text(), nullable=False),
    sa.Column('acked', sa.Text(), nullable=False),
    sa.Column('shown_vector', sa.Text(), nullable=False),
    sa.Column('shown_base', sa.Text(), nullable=False),
    sa.Column('last_received_at', sa.DateTime(), nullable=True),
    sa.Column('last_sent_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_sync_peer'))
    )


def downgrade() -> None:
    op.drop_table('sync_peer')
    op.drop_table('outbox')
    with op.batch_alter_table('import_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_ledger_file_sha256'))

    op.drop_table('import_ledger')
    op.drop_table('held_event')
