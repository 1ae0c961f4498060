"""an index of the field writes nothing superseded (the heads), for the local edit's read

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03

A local edit merges against the heads of the fields it writes and their latest write. Found
through the primary key alone, the heads meant reading every write the record ever had: each
autosave of a session's minutes made the next one slower (2.4 ms for the read alone after
2,000 autosaves). This partial index holds just the heads, so the read no longer grows with
the record's history. Its entries are as short as they can be (the id and the field: the
entity, the stamp and the value are read from the row), because every write an import makes
is a head at first and lands in it too: at 100,000 events an index of the whole key cost the
import twice what this one does.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_field_write_head', 'field_write',
                    ['entity_id', 'field'],
                    sqlite_where=sa.text('NOT superseded'),
                    postgresql_where=sa.text('NOT superseded'))


def downgrade() -> None:
    op.drop_index('ix_field_write_head', table_name='field_write')
