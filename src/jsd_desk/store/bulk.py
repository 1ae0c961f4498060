"""How a batch's rows reach the database: the few bulk operations an import needs.

The batch projection and the event store (``store.batch_projection``, ``Tx.store_events``) say
*what* to write for a whole batch — rows to insert, rows to insert unless present, rows to update
by key, rows to delete by key, rows to read by a list of keys — and a ``Bulk`` says *how*, in
one round trip per operation where the database allows it. ``bulk_for`` picks the fastest one
the connection's database has: PostgreSQL gets ``store.pg_bulk`` (``COPY`` and arrays through
the driver, no per-row work in SQLAlchemy); everything else gets ``Bulk``, SQLAlchemy's
``executemany``. Every operation runs inside the caller's transaction, so a batch is still all
or nothing with the rest of the import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, and_, bindparam, delete, insert, select, update

from jsd_desk.store.projection import insert_ignore

Row = dict[str, Any]
# SQLite's default limit of bound parameters per statement is 32,766; 500 ids stay far below.
IN_CHUNK = 500


def same_keys(rows: Sequence[Row]) -> list[list[Row]]:
    """``rows`` in runs that name the same columns (one statement each), order kept."""
    groups: dict[tuple[str, ...], list[Row]] = {}
    for row in rows:
        groups.setdefault(tuple(row), []).append(row)
    return list(groups.values())


class Bulk:
    """The portable operations, through SQLAlchemy (SQLite/SQLCipher and any other database)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._statements: dict[Any, Any] = {}

    def insert(self, table: Table, rows: Sequence[Row]) -> None:
        """Insert ``rows`` (dicts of column values; columns left out take their defaults)."""
        if rows:
            key = ("insert", table.name)
            if key not in self._statements:
                self._statements[key] = insert(table)
            self.conn.execute(self._statements[key], rows)

    def insert_ignore(self, table: Table, rows: Sequence[Row]) -> None:
        """Insert the ``rows`` whose primary key is not there yet."""
        if rows:
            key = ("ignore", table.name)
            if key not in self._statements:
                self._statements[key] = insert_ignore(self.conn, table)
            self.conn.execute(self._statements[key], rows)

    def update(self, table: Table, keys: Sequence[str], rows: Sequence[Row]) -> None:
        """For each row, set its other columns where the ``keys`` columns equal its values."""
        for group in same_keys(rows):
            columns = tuple(c for c in group[0] if c not in keys)
            key = ("update", table.name, tuple(keys), columns)
            if key not in self._statements:
                self._statements[key] = (
                    update(table).where(and_(*(table.c[k] == bindparam(f"k_{k}") for k in keys)))
                    .values({c: bindparam(f"v_{c}") for c in columns}))
            self.conn.execute(self._statements[key], [
                {**{f"k_{k}": row[k] for k in keys}, **{f"v_{c}": row[c] for c in columns}}
                for row in group])

    def delete_in(self, table: Table, column: str, values: Sequence[Any]) -> None:
        """Delete the rows whose ``column`` is one of ``values``."""
        if values:
            key = ("delete", table.name, column)
            if key not in self._statements:
                self._statements[key] = delete(table).where(table.c[column] == bindparam("_v"))
            self.conn.execute(self._statements[key], [{"_v": v} for v in values])

    def select_in(self, table: Table, columns: Sequence[str], where: Row, column: str,
                  values: Sequence[Any]) -> Iterable[tuple[Any, ...]]:
        """``columns`` of the rows equal to ``where`` whose ``column`` is one of ``values``."""
        out: list[tuple[Any, ...]] = []
        for i in range(0, len(values), IN_CHUNK):
            statement = select(*(table.c[c] for c in columns)).where(
                *(table.c[k] == v for k, v in where.items()),
                table.c[column].in_(values[i:i + IN_CHUNK]))
            out.extend(tuple(r) for r in self.conn.execute(statement))
        return out


def bulk_for(conn: Connection) -> Bulk:
    """The fastest ``Bulk`` for this connection's database."""
    if conn.dialect.name == "postgresql":
        from jsd_desk.store.pg_bulk import PgBulk

        return PgBulk(conn)
    return Bulk(conn)
