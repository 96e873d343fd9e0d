"""The part of a database connection that storage code may use: what SQLite and PostgreSQL share."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

Params = Sequence[Any] | Mapping[str, Any]
MAX_PADDED_IN_LIST = 1024  # longer lists are rare (a kiosk's groups) and keep their length


class Cursor(Protocol):
    """A statement's result: rows answer both `row[0]` and `row["name"]`."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A connection inside one transaction; SQL uses `?` (or `:name`) placeholders on both backends."""

    def execute(self, sql: str, parameters: Params = ..., /) -> Cursor: ...

    def executemany(self, sql: str, parameters: Iterable[Params], /) -> Cursor: ...


def is_unique_violation(error: BaseException) -> bool:
    """Whether `error` is a UNIQUE (or primary key) constraint violation, on either backend."""
    if isinstance(error, sqlite3.IntegrityError):
        return "UNIQUE" in str(error) or "PRIMARY KEY" in str(error)
    return getattr(error, "sqlstate", None) == "23505"


class Row(Protocol):
    """One result row: `row[0]` or `row["name"]`."""

    def __getitem__(self, key: int | str, /) -> Any: ...


def in_list(values: Sequence[Any]) -> tuple[str, list[Any]]:
    """`(?, ?, ...)` for an IN clause and its parameters, padded to a power of two by repeating the last value:
    few distinct statements, so PostgreSQL reuses its prepared ones (`values` must not be empty)."""
    size = 1 << (len(values) - 1).bit_length() if len(values) <= MAX_PADDED_IN_LIST else len(values)
    padded = [*values, *[values[-1]] * (size - len(values))]
    return "(" + ", ".join("?" * size) + ")", padded


def plain_rows(conn: Connection, sql: str, parameters: Params = ()) -> list[tuple[Any, ...]]:
    """All rows as plain tuples: much cheaper than named rows when there are thousands."""
    if isinstance(conn, sqlite3.Connection):
        cursor = conn.cursor()
        cursor.row_factory = None
        return list(cursor.execute(sql, parameters).fetchall())
    return [tuple(row) for row in conn.execute(sql, parameters).fetchall()]


@contextmanager
def savepoint(conn: Connection, name: str = "attempt") -> Iterator[None]:
    """Run a block so that its failure undoes only the block, and the transaction can go on (both backends)."""
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
        conn.execute(f"RELEASE SAVEPOINT {name}")
        raise
    conn.execute(f"RELEASE SAVEPOINT {name}")
