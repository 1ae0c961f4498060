"""conflicts kept as rows: field_conflict, the fields whose heads hold different values

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def backfill(field_conflict: sa.Table) -> None:
    """The conflicts of a store made before this revision, as ``dump`` found them then: the
    fields whose heads (writes nothing superseded) hold more than one distinct value. The
    projectors keep the table in step from here on."""
    fw = sa.table('field_write', sa.column('entity'), sa.column('entity_id'), sa.column('field'),
                  sa.column('value'), sa.column('superseded'))
    conflicted = (sa.select(fw.c.entity, fw.c.entity_id, fw.c.field)
                  .where(fw.c.superseded == sa.false())
                  .group_by(fw.c.entity, fw.c.entity_id, fw.c.field)
                  .having(sa.func.count(sa.distinct(fw.c.value)) > 1))
    op.get_bind().execute(field_conflict.insert().from_select(
        ['entity', 'entity_id', 'field'], conflicted))


def upgrade() -> None:
    field_conflict = op.create_table('field_conflict',
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('entity', 'entity_id', 'field', name=op.f('pk_field_conflict'))
    )
    backfill(field_conflict)


def downgrade() -> None:
    op.drop_table('field_conflict')
