"""Which ``Bulk`` a connection gets: the database's fastest way to write a batch's rows.

Apart from ``store.bulk`` because the PostgreSQL one (``store.pg_bulk``) is built on it: choosing
it there made the two modules import each other.
"""

from __future__ import annotations

from sqlalchemy import Connection

from jsd_desk.store.bulk import Bulk, SqliteBulk


def bulk_for(conn: Connection) -> Bulk:
    """The fastest ``Bulk`` for this connection's database."""
    if conn.dialect.name == "postgresql":
        # Imported here: psycopg is loaded only by a hub, never by a desktop's import.
        from jsd_desk.store.pg_bulk import PgBulk

        return PgBulk(conn)
    if conn.dialect.name == "sqlite":
        return SqliteBulk(conn)
    return Bulk(conn)
