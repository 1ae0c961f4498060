"""search index: search_doc, and on SQLite an FTS5 index over it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('search_doc',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_doc')),
    sa.UniqueConstraint('entity_id', name=op.f('uq_search_doc_entity_id'))
    )
    if op.get_bind().dialect.name == "sqlite":
        # External-content FTS5 over search_doc, kept in step by triggers. remove_diacritics 2
        # folds accents in the index too, so "securite" matches "sécurité" either way round.
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_doc', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        op.execute(
            "CREATE TRIGGER search_doc_ai AFTER INSERT ON search_doc BEGIN "
            "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END"
        )
        op.execute(
            "CREATE TRIGGER search_doc_ad AFTER DELETE ON search_doc BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); END"
        )
        op.execute(
            "CREATE TRIGGER search_doc_au AFTER UPDATE ON search_doc BEGIN "
            "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); "
            "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("search_doc_ai", "search_doc_ad", "search_doc_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table('search_doc')
