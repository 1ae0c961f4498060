"""How a batch's rows reach the database: the few bulk operations an import needs.

The batch projection and the event store (``store.batch_projection``, ``Tx.store_events``) say
*what* to write for a whole batch — rows to insert, rows to insert unless present, rows to update
by key, rows to delete by key, rows to read by a list of keys — and a ``Bulk`` says *how*, in
one round trip per operation where the database allows it. ``bulk_for`` picks the fastest one
the connection's database has: PostgreSQL gets ``store.pg_bulk`` (``COPY`` and arrays through
the driver, no per-row work in SQLAlchemy); SQLite/SQLCipher gets ``SqliteBulk`` (the driver's
own ``executemany``); anything else gets ``Bulk``, SQLAlchemy's ``executemany``. Every
operation runs inside the caller's transaction, so a batch is still all
or nothing with the rest of the import.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Table,
    and_,
    bindparam,
    delete,
    insert,
    select,
    update,
)

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

    def delete_keys(self, table: Table, keys: Sequence[str], rows: Sequence[Row]) -> None:
        """For each row, delete the rows whose ``keys`` columns equal its values."""
        if rows:
            key = ("delete_keys", table.name, tuple(keys))
            if key not in self._statements:
                self._statements[key] = delete(table).where(
                    and_(*(table.c[k] == bindparam(f"k_{k}") for k in keys)))
            self.conn.execute(self._statements[key],
                              [{f"k_{k}": row[k] for k in keys} for row in rows])

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


Processor = Callable[[Any], Any] | None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SqliteBulk(Bulk):
    """SQLite/SQLCipher: the rows straight to the driver's ``executemany``, converted only
    where a column's type needs it (booleans, dates, datetimes) by SQLAlchemy's own bind and
    result processors, so the stored text is the same. SQLAlchemy's per-row parameter
    processing was about a second per 10,000 events of an import."""

    def _cursor(self) -> Any:
        dbapi = self.conn.connection.driver_connection
        assert dbapi is not None
        return dbapi.cursor()

    def _processors(self, table: Table, columns: Sequence[str], result: bool = False
                    ) -> list[Processor]:
        key = ("result" if result else "bind", table.name, tuple(columns))
        procs: list[Processor] | None = self._statements.get(key)
        if procs is None:
            dialect = self.conn.dialect
            impls = [table.c[c].type.dialect_impl(dialect) for c in columns]
            # A bool is bound as is: the driver stores True and False as 1 and 0, which is
            # what SQLAlchemy's processor makes of them (a call per row of every write).
            procs = [i.result_processor(dialect, None) if result
                     else None if isinstance(i, Boolean) else i.bind_processor(dialect)
                     for i in impls]
            self._statements[key] = procs
        return procs

    def _params(self, table: Table, columns: Sequence[str], rows: Sequence[Row]
                ) -> Iterator[tuple[Any, ...]]:
        procs = self._processors(table, columns)
        # The values in C (itemgetter), then only the columns whose type converts them.
        get = itemgetter(*columns)
        values: Callable[[Row], tuple[Any, ...]] = (
            get if len(columns) > 1 else lambda row: (get(row),))
        conv = [(i, p) for i, p in enumerate(procs) if p is not None]
        if not conv:
            return map(values, rows)

        def converted(row: Row) -> tuple[Any, ...]:
            out = list(values(row))
            for i, p in conv:
                if out[i] is not None:
                    out[i] = p(out[i])
            return tuple(out)

        return map(converted, rows)

    def _triggered(self, table: Table) -> bool:
        """Whether ``table`` has triggers (``search_doc``'s keep the FTS5 index in step)."""
        key = ("triggered", table.name)
        found: bool | None = self._statements.get(key)
        if found is None:
            found = self._statements[key] = self._cursor().execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                (table.name,)).fetchone() is not None
        return found

    def _insert(self, table: Table, rows: Sequence[Row], suffix: str) -> None:
        for group in same_keys(rows):
            defaults = {c.name: getattr(c.default, "arg", None) for c in table.columns
                        if c.name not in group[0] and c.default is not None
                        and c.default.is_scalar}  # what SQLAlchemy would have filled in
            if defaults:
                group = [{**defaults, **r} for r in group]
            columns = list(group[0])
            names = ", ".join(map(_quote, columns))
            if self._triggered(table):
                # One statement for the lot: SQLite runs a trigger per row either way, but FTS5
                # pays for every statement that writes it (an executemany of 35,000 search
                # documents took 1.7 s, one INSERT … SELECT of them 0.5 s).
                values = ", ".join(f"value ->> {i}" for i in range(len(columns)))
                self._cursor().execute(
                    f"INSERT INTO {_quote(table.name)} ({names}) SELECT {values} "
                    f"FROM json_each(?) WHERE true{suffix}",
                    (json.dumps(list(self._params(table, columns, group)), ensure_ascii=False),))
                continue
            sql = (f"INSERT INTO {_quote(table.name)} ({names}) "
                   f"VALUES ({', '.join('?' * len(columns))}){suffix}")
            self._cursor().executemany(sql, self._params(table, columns, group))

    def insert(self, table: Table, rows: Sequence[Row]) -> None:
        self._insert(table, rows, "")

    def insert_ignore(self, table: Table, rows: Sequence[Row]) -> None:
        self._insert(table, rows, " ON CONFLICT DO NOTHING")

    def update(self, table: Table, keys: Sequence[str], rows: Sequence[Row]) -> None:
        for group in same_keys(rows):
            columns = [c for c in group[0] if c not in keys]
            sql = (f"UPDATE {_quote(table.name)} SET "
                   + ", ".join(f"{_quote(c)} = ?" for c in columns) + " WHERE "
                   + " AND ".join(f"{_quote(k)} = ?" for k in keys))
            self._cursor().executemany(sql, self._params(table, [*columns, *keys], group))

    def delete_in(self, table: Table, column: str, values: Sequence[Any]) -> None:
        if not values:
            return
        if self._triggered(table):  # one statement, as in ``_insert``
            self._cursor().execute(
                f"DELETE FROM {_quote(table.name)} WHERE {_quote(column)} IN "
                "(SELECT value FROM json_each(?))", (json.dumps(list(values), ensure_ascii=False),))
            return
        self._cursor().executemany(
            f"DELETE FROM {_quote(table.name)} WHERE {_quote(column)} = ?",
            ((v,) for v in values))

    def delete_keys(self, table: Table, keys: Sequence[str], rows: Sequence[Row]) -> None:
        if rows:
            self._cursor().executemany(
                f"DELETE FROM {_quote(table.name)} WHERE "
                + " AND ".join(f"{_quote(k)} = ?" for k in keys),
                self._params(table, keys, rows))

    def select_in(self, table: Table, columns: Sequence[str], where: Row, column: str,
                  values: Sequence[Any]) -> Iterable[tuple[Any, ...]]:
        procs = self._processors(table, columns, result=True)
        out: list[tuple[Any, ...]] = []
        head = (f"SELECT {', '.join(map(_quote, columns))} FROM {_quote(table.name)} WHERE "
                + "".join(f"{_quote(k)} = ? AND " for k in where))
        for i in range(0, len(values), IN_CHUNK):
            chunk = values[i:i + IN_CHUNK]
            rows = self._cursor().execute(
                f"{head}{_quote(column)} IN ({', '.join('?' * len(chunk))})",
                (*where.values(), *chunk)).fetchall()
            if any(procs):
                out.extend(tuple(v if p is None or v is None else p(v)
                                 for v, p in zip(r, procs, strict=True)) for r in rows)
            else:
                out.extend(rows)
        return out
