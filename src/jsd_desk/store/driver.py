"""Prebuilt SQL run on the DB-API connection under a SQLAlchemy one, for the write path's hot
statements.

SQLAlchemy Core costs more per statement (building, cache keys, execution context, result
set-up) than SQLite takes to run a one-row insert: a committed edit made ~20 statements and
spent most of its time there. These statements are plain text written once, run on the driver's
cursor inside the caller's SQLAlchemy transaction, with the columns' own SQLAlchemy type
processing (so a date or a datetime is stored and read exactly as SQLAlchemy stores and reads
it). Identifiers are quoted; ``?`` marks become ``%s`` for PostgreSQL's driver.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVarTuple

from sqlalchemy import Connection, CursorResult, Select, Table
from sqlalchemy.engine import Dialect

Processor = Callable[[Any], Any] | None


# Rows a server-side cursor of PostgreSQL hands over at a time (``streamed``).
STREAM_ROWS = 2000


_Ts = TypeVarTuple("_Ts")


def streamed(conn: Connection, statement: Select[*_Ts]) -> CursorResult[*_Ts]:
    """``conn.execute(statement)``, its rows fetched as they are used. psycopg's ordinary
    cursor fetches a whole result at execute: a hub's event log (millions of bodies) would be
    in memory at once. There it is read by a server-side cursor; SQLite's cursor already steps
    through its rows one at a time, so it is run as it is."""
    if conn.dialect.name != "sqlite":
        statement = statement.execution_options(yield_per=STREAM_ROWS)
    return conn.execute(statement)


def quote(name: str) -> str:
    return f'"{name}"'


@functools.cache
def binders(table: Table, dialect: Dialect) -> dict[str, Processor]:
    """Each column's SQLAlchemy bind processor (None where the driver takes the value as is)."""
    return {c.name: c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.columns}


@functools.cache
def readers(table: Table, dialect: Dialect) -> dict[str, Processor]:
    """Each column's SQLAlchemy result processor."""
    return {c.name: c.type.dialect_impl(dialect).result_processor(dialect, None)
            for c in table.columns}


class Driver:
    """The DB-API cursor of one SQLAlchemy connection, in that connection's transaction."""

    def __init__(self, conn: Connection) -> None:
        if not conn.in_transaction():
            conn.begin()  # what SQLAlchemy's autobegin would do at its first statement
        self.conn = conn
        self.dialect = conn.dialect
        self.cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        self._qmark = conn.dialect.paramstyle == "qmark"

    def sql(self, text: str) -> str:
        return text if self._qmark else text.replace("?", "%s")

    def execute(self, text: str, params: Sequence[Any] = ()) -> Any:
        self.cursor.execute(self.sql(text), tuple(params))
        return self.cursor

    def executemany(self, text: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            self.cursor.executemany(self.sql(text), rows)

    def bound(self, table: Table, columns: tuple[str, ...], values: Sequence[Any]) -> list[Any]:
        """``values`` of ``columns`` as SQLAlchemy would bind them."""
        procs = _bind_list(table, self.dialect, columns)
        if procs is None:
            return list(values)
        return [v if p is None or v is None else p(v) for p, v in zip(procs, values, strict=True)]

    def fetch_processed(self, table: Table, columns: tuple[str, ...], row: Sequence[Any]) -> list[Any]:
        """A fetched row of ``columns`` as SQLAlchemy would return it."""
        procs = _result_list(table, self.dialect, columns)
        if procs is None:
            return list(row)
        return [v if p is None or v is None else p(v) for p, v in zip(procs, row, strict=True)]


@functools.cache
def _bind_list(table: Table, dialect: Dialect, columns: tuple[str, ...]) -> tuple[Processor, ...] | None:
    procs = tuple(binders(table, dialect)[c] for c in columns)
    return None if all(p is None for p in procs) else procs


@functools.cache
def _result_list(table: Table, dialect: Dialect, columns: tuple[str, ...]) -> tuple[Processor, ...] | None:
    procs = tuple(readers(table, dialect)[c] for c in columns)
    return None if all(p is None for p in procs) else procs


@functools.cache
def insert_sql(table: str, columns: tuple[str, ...], ignore: bool = False) -> str:
    cols = ", ".join(quote(c) for c in columns)
    marks = ", ".join("?" for _ in columns)
    tail = " ON CONFLICT DO NOTHING" if ignore else ""
    return f"INSERT INTO {quote(table)} ({cols}) VALUES ({marks}){tail}"


@functools.cache
def update_by_id_sql(table: str, columns: tuple[str, ...]) -> str:
    sets = ", ".join(f"{quote(c)} = ?" for c in columns)
    return f"UPDATE {quote(table)} SET {sets} WHERE {quote('id')} = ?"


@functools.cache
def select_by_id_sql(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(quote(c) for c in columns)
    return f"SELECT {cols} FROM {quote(table)} WHERE {quote('id')} = ?"
