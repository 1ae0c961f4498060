"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('action_item',
    sa.Column('session_id', sa.String(length=36), nullable=True),
    sa.Column('platform_id', sa.String(length=36), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('responsible_party', sa.String(length=40), nullable=True),
    sa.Column('owner', sa.Text(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('priority_problem_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item'))
    )
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_priority_problem_id'), ['priority_problem_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_item_status'), ['status'], unique=False)

    op.create_table('agenda_item',
    sa.Column('session_id', sa.String(length=36), nullable=True),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item'))
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_session_id'), ['session_id'], unique=False)

    op.create_table('amendment',
    sa.Column('session_id', sa.String(length=36), nullable=True),
    sa.Column('field', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment'))
    )
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_session_id'), ['session_id'], unique=False)

    op.create_table('attachment',
    sa.Column('entity', sa.String(length=40), nullable=True),
    sa.Column('entity_id', sa.Text(), nullable=True),
    sa.Column('filename', sa.Text(), nullable=True),
    sa.Column('media_type', sa.Text(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('caption', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_entity_id'), ['entity_id'], unique=False)

    op.create_table('attendance',
    sa.Column('session_id', sa.String(length=36), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('gender', sa.String(length=40), nullable=True),
    sa.Column('count', sa.Integer(), nullable=True),
    sa.Column('names', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance'))
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attendance_session_id'), ['session_id'], unique=False)

    op.create_table('blob',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_blob'))
    )
    op.create_table('complainant',
    sa.Column('complaint_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('contact', sa.Text(), nullable=True),
    sa.Column('gender', sa.String(length=40), nullable=True),
    sa.Column('age_group', sa.String(length=40), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complainant'))
    )
    with op.batch_alter_table('complainant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complainant_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('complaint',
    sa.Column('reference', sa.Text(), nullable=True),
    sa.Column('receipt_code', sa.Text(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('channel', sa.String(length=40), nullable=True),
    sa.Column('session_id', sa.String(length=36), nullable=True),
    sa.Column('category', sa.String(length=40), nullable=True),
    sa.Column('against', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('place_id', sa.String(length=36), nullable=True),
    sa.Column('language', sa.String(length=40), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('referred_to', sa.Text(), nullable=True),
    sa.Column('response', sa.Text(), nullable=True),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint'))
    )
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_receipt_code'), ['receipt_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_received_on'), ['received_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_reference'), ['reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaint_status'), ['status'], unique=False)

    op.create_table('complaint_status_change',
    sa.Column('complaint_id', sa.String(length=36), nullable=True),
    sa.Column('from_status', sa.String(length=40), nullable=True),
    sa.Column('to_status', sa.String(length=40), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaint_status_change'))
    )
    with op.batch_alter_table('complaint_status_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaint_status_change_complaint_id'), ['complaint_id'], unique=False)

    op.create_table('concern',
    sa.Column('session_id', sa.String(length=36), nullable=True),
    sa.Column('theme', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('raised_by', sa.String(length=40), nullable=True),
    sa.Column('priority_problem_id', sa.String(length=36), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern'))
    )
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_priority_problem_id'), ['priority_problem_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_concern_session_id'), ['session_id'], unique=False)

    op.create_table('device',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=40), nullable=False),
    sa.Column('short_code', sa.String(length=8), nullable=False),
    sa.Column('sign_public', sa.String(length=60), nullable=False),
    sa.Column('age_recipient', sa.String(length=80), nullable=False),
    sa.Column('trusted', sa.Boolean(), nullable=False),
    sa.Column('is_self', sa.Boolean(), nullable=False),
    sa.Column('introduced_by', sa.String(length=36), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_device'))
    )
    op.create_table('event',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hlc', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('op', sa.String(length=10), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('signature', sa.String(length=100), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('device_id', 'seq', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index('ix_event_entity', ['entity', 'entity_id'], unique=False)

    op.create_table('feed',
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('device_id', name=op.f('pk_feed'))
    )
    op.create_table('field_base',
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('stamp', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'entity_id', 'field', 'stamp', name=op.f('pk_field_base'))
    )
    op.create_table('field_write',
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('stamp', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('superseded', sa.Boolean(), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'entity_id', 'field', 'stamp', name=op.f('pk_field_write'))
    )
    op.create_table('follow_up',
    sa.Column('action_item_id', sa.String(length=36), nullable=True),
    sa.Column('session_id', sa.String(length=36), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('status_after', sa.String(length=40), nullable=True),
    sa.Column('recorded_on', sa.Date(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up'))
    )
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_action_item_id'), ['action_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_up_session_id'), ['session_id'], unique=False)

    op.create_table('local_state',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_local_state'))
    )
    op.create_table('place',
    sa.Column('parent_id', sa.String(length=36), nullable=True),
    sa.Column('level', sa.String(length=40), nullable=True),
    sa.Column('code', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place'))
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_parent_id'), ['parent_id'], unique=False)

    op.create_table('platform',
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('place_id', sa.String(length=36), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_platform'))
    )
    with op.batch_alter_table('platform', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_platform_place_id'), ['place_id'], unique=False)

    op.create_table('priority_problem',
    sa.Column('platform_id', sa.String(length=36), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_priority_problem'))
    )
    with op.batch_alter_table('priority_problem', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_priority_problem_platform_id'), ['platform_id'], unique=False)

    op.create_table('session',
    sa.Column('platform_id', sa.String(length=36), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('starts_at', sa.DateTime(), nullable=True),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('venue', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=40), nullable=True),
    sa.Column('facilitator', sa.Text(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('finalized_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session'))
    )
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_platform_id'), ['platform_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_status'))
        batch_op.drop_index(batch_op.f('ix_session_starts_at'))
        batch_op.drop_index(batch_op.f('ix_session_platform_id'))

    op.drop_table('session')
    with op.batch_alter_table('priority_problem', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_priority_problem_platform_id'))

    op.drop_table('priority_problem')
    with op.batch_alter_table('platform', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_platform_place_id'))

    op.drop_table('platform')
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_parent_id'))

    op.drop_table('place')
    op.drop_table('local_state')
    with op.batch_alter_table('follow_up', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_session_id'))
        batch_op.drop_index(batch_op.f('ix_follow_up_action_item_id'))

    op.drop_table('follow_up')
    op.drop_table('field_write')
    op.drop_table('field_base')
    op.drop_table('feed')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index('ix_event_entity')

    op.drop_table('event')
    op.drop_table('device')
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_session_id'))
        batch_op.drop_index(batch_op.f('ix_concern_priority_problem_id'))

    op.drop_table('concern')
    with op.batch_alter_table('complaint_status_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_status_change_complaint_id'))

    op.drop_table('complaint_status_change')
    with op.batch_alter_table('complaint', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaint_status'))
        batch_op.drop_index(batch_op.f('ix_complaint_session_id'))
        batch_op.drop_index(batch_op.f('ix_complaint_reference'))
        batch_op.drop_index(batch_op.f('ix_complaint_received_on'))
        batch_op.drop_index(batch_op.f('ix_complaint_receipt_code'))
        batch_op.drop_index(batch_op.f('ix_complaint_category'))

    op.drop_table('complaint')
    with op.batch_alter_table('complainant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complainant_complaint_id'))

    op.drop_table('complainant')
    op.drop_table('blob')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attendance_session_id'))

    op.drop_table('attendance')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_entity_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_session_id'))

    op.drop_table('amendment')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_session_id'))

    op.drop_table('agenda_item')
    with op.batch_alter_table('action_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_status'))
        batch_op.drop_index(batch_op.f('ix_action_item_session_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_priority_problem_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_platform_id'))
        batch_op.drop_index(batch_op.f('ix_action_item_due_on'))

    op.drop_table('action_item')
