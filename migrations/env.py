"""Alembic environment. The app passes its own connection (built by the one engine factory);
the ``alembic`` command line (developers only) passes a URL through alembic.ini instead."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from jsd_desk.store.models import Base

config = context.config


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    # FTS5 virtual tables and their shadow tables (SQLite), and the trigram index of the search
    # documents (PostgreSQL, when pg_trgm could be created), are made by migrations, not by the
    # models: each exists on one database only.
    if type_ == "table" and name is not None and name.startswith("search_fts"):
        return False
    return not (type_ == "index" and name == "ix_search_doc_trgm")


def run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # user databases are SQLite: ALTER goes through batch copies
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.begin() as conn:
        run(conn)
