"""The bulk operations on PostgreSQL (the ministry hub), through the driver.

SQLAlchemy's ``executemany`` on psycopg sends one statement per row (pipelined) and processes
every row's parameters in Python first: most of a hub's import time. Here each operation is one
statement for the whole batch, with the rows travelling as the driver encodes them (in C):

* ``insert``: ``COPY … FROM STDIN``, the fastest way into PostgreSQL;
* ``insert_ignore``, ``update``, ``delete_in``, ``delete_keys``, ``select_in``: one statement
  over arrays, one array per column (``unnest``), so its size does not depend on the number of
  rows.

They run on the connection's own transaction: a refused bundle rolls them back with the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection, Table
from sqlalchemy.exc import DBAPIError

from jsd_desk.store.bulk import Bulk, Row, same_keys


class PgBulk(Bulk):
    def __init__(self, conn: Connection) -> None:
        super().__init__(conn)
        self._types: dict[tuple[str, str], sql.Composable] = {}

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        """A cursor of the psycopg connection under SQLAlchemy's, in the transaction SQLAlchemy
        began; the driver's errors come out as SQLAlchemy's, as from ``Connection.execute``."""
        raw = self.conn.connection.dbapi_connection
        assert isinstance(raw, psycopg.Connection)
        try:
            with raw.cursor() as cur:
                yield cur
        except psycopg.Error as exc:
            raise DBAPIError.instance(None, None, exc, psycopg.Error,
                                      dialect=self.conn.dialect) from exc

    def _array(self, table: Table, column: str) -> sql.Composable:
        """``%s::TYPE[]`` for one column: the array parameter of its values."""
        key = (table.name, column)
        cast = self._types.get(key)
        if cast is None:
            kind = table.c[column].type.compile(dialect=self.conn.dialect)
            cast = self._types[key] = sql.SQL("%s::" + kind + "[]")
        return cast

    def insert(self, table: Table, rows: Sequence[Row]) -> None:
        for group in same_keys(rows):
            defaults = {c.name: getattr(c.default, "arg", None) for c in table.columns
                        if c.name not in group[0] and c.default is not None
                        and c.default.is_scalar}  # what SQLAlchemy would have filled in
            columns = [*group[0], *defaults]
            statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)))
            extra = tuple(defaults.values())
            with self._cursor() as cur, cur.copy(statement) as copy:
                for row in group:
                    copy.write_row((*row.values(), *extra))

    def insert_ignore(self, table: Table, rows: Sequence[Row]) -> None:
        for group in same_keys(rows):
            columns = list(group[0])
            statement = sql.SQL("INSERT INTO {} ({}) SELECT * FROM unnest({}) "
                                "ON CONFLICT DO NOTHING").format(
                sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, columns)),
                sql.SQL(", ").join(self._array(table, c) for c in columns))
            self._execute(statement, [[row[c] for row in group] for c in columns])

    def update(self, table: Table, keys: Sequence[str], rows: Sequence[Row]) -> None:
        for group in same_keys(rows):
            columns = list(group[0])
            values = [c for c in columns if c not in keys]
            name = sql.Identifier(table.name)
            statement = sql.SQL("UPDATE {} SET {} FROM unnest({}) AS u ({}) WHERE {}").format(
                name,
                sql.SQL(", ").join(sql.SQL("{} = u.{}").format(sql.Identifier(c), sql.Identifier(c))
                                   for c in values),
                sql.SQL(", ").join(self._array(table, c) for c in columns),
                sql.SQL(", ").join(map(sql.Identifier, columns)),
                sql.SQL(" AND ").join(sql.SQL("{}.{} = u.{}").format(name, sql.Identifier(k),
                                                                     sql.Identifier(k))
                                      for k in keys))
            self._execute(statement, [[row[c] for row in group] for c in columns])

    def delete_in(self, table: Table, column: str, values: Sequence[Any]) -> None:
        if values:
            self._execute(sql.SQL("DELETE FROM {} WHERE {} = ANY({})").format(
                sql.Identifier(table.name), sql.Identifier(column), self._array(table, column)),
                [list(values)])

    def delete_keys(self, table: Table, keys: Sequence[str], rows: Sequence[Row]) -> None:
        if rows:
            name = sql.Identifier(table.name)
            statement = sql.SQL("DELETE FROM {} USING unnest({}) AS u ({}) WHERE {}").format(
                name, sql.SQL(", ").join(self._array(table, k) for k in keys),
                sql.SQL(", ").join(map(sql.Identifier, keys)),
                sql.SQL(" AND ").join(sql.SQL("{}.{} = u.{}").format(name, sql.Identifier(k),
                                                                     sql.Identifier(k))
                                      for k in keys))
            self._execute(statement, [[row[k] for row in rows] for k in keys])

    def select_in(self, table: Table, columns: Sequence[str], where: Row, column: str,
                  values: Sequence[Any]) -> Iterable[tuple[Any, ...]]:
        if not values:
            return []
        conditions = [sql.SQL("{} = %s").format(sql.Identifier(k)) for k in where]
        conditions.append(sql.SQL("{} = ANY({})").format(sql.Identifier(column),
                                                       self._array(table, column)))
        statement = sql.SQL("SELECT {} FROM {} WHERE {}").format(
            sql.SQL(", ").join(map(sql.Identifier, columns)), sql.Identifier(table.name),
            sql.SQL(" AND ").join(conditions))
        with self._cursor() as cur:
            cur.execute(statement, [*where.values(), list(values)])
            return [tuple(r) for r in cur.fetchall()]

    def _execute(self, statement: sql.Composable, params: list[Any]) -> None:
        with self._cursor() as cur:
            cur.execute(statement, params)
