"""on PostgreSQL, a trigram index of the search documents, for the hub's search box

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

SQLite searches through FTS5 (0002). PostgreSQL matched every word with ``LIKE '%word%'`` over
the whole ``search_doc`` table: a hub's search read every document of every platform each
time. A GIN index of trigrams (``pg_trgm``) serves the same ``LIKE`` unchanged. ``pg_trgm``
ships with PostgreSQL and is a trusted extension (13 and later: the database's owner may
create it); where it cannot be created, the hub searches as before, without the index.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

INDEX = "ix_search_doc_trgm"


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    if not bind.exec_driver_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").first():
        if not bind.exec_driver_sql(
                "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").first():
            return  # a server built without the contrib modules: search without the index
        savepoint = bind.begin_nested()
        try:
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except sa.exc.DBAPIError:  # no right to create it here: search without the index
            savepoint.rollback()
            return
        savepoint.commit()
    bind.exec_driver_sql(f"CREATE INDEX {INDEX} ON search_doc USING gin (body gin_trgm_ops)")


def downgrade() -> None:
    # The extension stays: it holds no data, and other objects of the database may use it.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
