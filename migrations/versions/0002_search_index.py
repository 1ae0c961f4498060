"""search index: search_doc, and on SQLite an FTS5 index over it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The searchable fields as they were at this revision (domain/records.py then). A revision is
# frozen history: if the list changes later, a new revision re-indexes, so this copy stays.
SEARCHABLE: dict[str, tuple[str, ...]] = {
    "place": ("name",),
    "platform": ("name",),
    "priority_problem": ("title", "description"),
    "session": ("title", "venue", "minutes"),
    "concern": ("theme", "description"),
    "complaint": ("reference", "against", "description"),
    "action_item": ("description", "owner"),
}


def fold(text: str) -> str:
    # Same folding as store/projection.py::fold at this revision.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def backfill(search_doc: sa.Table) -> None:
    """Index the records that exist already (a store made before this revision); the write path
    keeps the index in step from here on."""
    bind = op.get_bind()
    for entity, fields in SEARCHABLE.items():
        table = sa.table(entity, sa.column("id"), sa.column("deleted"), *map(sa.column, fields))
        rows = bind.execute(sa.select(table.c.id, *(table.c[f] for f in fields))
                            .where(table.c.deleted == sa.false()).order_by(table.c.id))
        docs = []
        for row in rows:
            body = fold(" ".join(str(v) for v in row[1:] if v))
            if body:
                docs.append({"entity": entity, "entity_id": row[0], "body": body})
        if docs:
            bind.execute(search_doc.insert(), docs)


def upgrade() -> None:
    search_doc = op.create_table('search_doc',
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
    assert search_doc is not None
    backfill(search_doc)  # after the triggers, so FTS5 indexes the backfilled rows too


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("search_doc_ai", "search_doc_ad", "search_doc_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table('search_doc')
