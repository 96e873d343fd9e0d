"""`db copy`: every table of one meetkit database into another, empty one, in foreign-key order, in one transaction."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import psycopg

from meetkit.storage.connection import Connection
from meetkit.storage.endpoints import N_, Endpoint, ToolError, open_endpoint, same_database
from meetkit.storage.migrate import migrate
from meetkit.storage.postgres import CHANNEL, PgConnection, analyze, first_line
from meetkit.storage.sqlite import BUMP_EPOCH

# Tables about the database itself or its running processes, not about the installation: the target keeps
# its own. Every other table found in the schema is copied.
NOT_COPIED = {
    "schema_migrations": "each database records its own migrations; they must be the same on both sides",
    "cache_epoch": "a counter that tells processes to empty their read cache; moved on by the copy instead",
    "job_leases": "which running process holds a background job; the source's processes do not run there",
}
BATCH_ROWS = 500
_NAME = re.compile(r"[a-z_][a-z0-9_]*")

NO_MEETKIT_DATABASE = N_("{url} enthält keine meetkit-Datenbank.")
SAME_DATABASE = N_("Quelle und Ziel sind dieselbe Datenbank ({url}).")
VERSIONS_DIFFER = N_(
    "Quelle und Ziel haben verschiedene Schema-Versionen (Quelle {source}, Ziel {target}). "
    "Bitte beide mit derselben meetkit-Version verwenden."
)
TABLES_DIFFER = N_(
    "Die Tabelle {table} gibt es nur in einer der beiden Datenbanken; es wurde nichts kopiert."
)
COLUMNS_DIFFER = N_(
    "Die Tabelle {table} hat in Quelle und Ziel verschiedene Spalten; es wurde nichts kopiert."
)
UNORDERABLE = N_(
    "Die Tabellen {tables} verweisen im Kreis oder auf sich selbst; db copy kennt keine Reihenfolge "
    "für sie. Es wurde nichts kopiert."
)
UNKNOWN_TABLE_NAME = N_("Die Tabelle {table} hat einen unerwarteten Namen; es wurde nichts kopiert.")
TARGET_NOT_EMPTY = N_(
    "Die Zieldatenbank {url} enthält schon Daten (Tabellen: {tables}). "
    "db copy kopiert nur in eine leere Datenbank; es wurde nichts verändert."
)
DATABASE_FAILED = N_("Kopieren nicht möglich: {reason}. Es wurde nichts kopiert.")
COPY_FAILED = N_(
    "Kopieren abgebrochen bei Tabelle {table}: {reason}. Die Zieldatenbank ist unverändert geblieben."
)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table as the target database declares it."""

    name: str
    is_boolean: bool
    is_identity: bool


@dataclass(frozen=True, slots=True)
class CopyResult:
    """What was copied where: rows per table, in the order they were written."""

    source: str
    target: str
    tables: tuple[tuple[str, int], ...]

    @property
    def total_rows(self) -> int:
        """Rows copied in all."""
        return sum(count for _, count in self.tables)


def copy_database(source_url: str, target_url: str) -> CopyResult:
    """Copy every row of the source into the empty, freshly migrated target, all of it or nothing."""
    source = open_endpoint(source_url, must_exist=True)
    try:
        if not _has_table(source, "schema_migrations"):
            raise ToolError(NO_MEETKIT_DATABASE, url=source.shown)
        target = open_endpoint(target_url, must_exist=False)
        try:
            if same_database(source_url, target_url):
                raise ToolError(SAME_DATABASE, url=target.shown)
            return _copy(source, target)
        except (psycopg.Error, sqlite3.Error) as error:  # migrating or reading: rights, a lost connection
            raise ToolError(DATABASE_FAILED, reason=first_line(error)) from None
        finally:
            target.close()
    finally:
        source.close()


def _copy(source: Endpoint, target: Endpoint) -> CopyResult:
    migrate(source.conn, source.dialect)  # as every meetkit command does before it reads
    existing = [table for table in schema_tables(target) if table not in NOT_COPIED]
    _refuse_unless_empty(target, existing)  # before migrating it: a refused target stays as it was
    if target.dialect == "sqlite":
        target.conn.execute("PRAGMA journal_mode = WAL")
    migrate(target.conn, target.dialect)
    source_versions, target_versions = _versions(source), _versions(target)
    if source_versions != target_versions:
        raise ToolError(VERSIONS_DIFFER, source=max(source_versions), target=max(target_versions))

    _begin_snapshot(source)
    try:
        tables = _tables_to_copy(source, target)
        _begin_write(target)
        try:
            copied = _write_all(source, target, tables)
        except BaseException:
            target.conn.execute("ROLLBACK")
            raise
        target.conn.execute("COMMIT")
    finally:
        source.conn.execute("ROLLBACK")  # the read snapshot: nothing to keep
    if isinstance(target.conn, PgConnection):  # plan with the copied sizes from the first request on
        analyze(target.conn, [table for table, rows in copied if rows])
    return CopyResult(source.shown, target.shown, tuple(copied))


def _tables_to_copy(source: Endpoint, target: Endpoint) -> dict[str, list[Column]]:
    """The copied tables with the target's columns, in foreign-key order; ToolError when they do not match."""
    found = set(schema_tables(source))
    expected = set(schema_tables(target))
    if found != expected:
        raise ToolError(TABLES_DIFFER, table=min(found ^ expected))
    copied = sorted(found - set(NOT_COPIED))
    for table in copied:
        if not _NAME.fullmatch(table):
            raise ToolError(UNKNOWN_TABLE_NAME, table=table)
    ordered = copy_order({table: referenced_tables(target, table) for table in copied})
    columns = {}
    for table in ordered:
        columns[table] = table_columns(target, table)
        if [c.name for c in columns[table]] != [c.name for c in table_columns(source, table)]:
            raise ToolError(COLUMNS_DIFFER, table=table)
    return columns


def _refuse_unless_empty(target: Endpoint, tables: Iterable[str]) -> None:
    """ToolError naming the tables that hold rows, if any do."""
    holding = [table for table in tables if _NAME.fullmatch(table) and _has_rows(target, table)]
    if holding:
        raise ToolError(TARGET_NOT_EMPTY, url=target.shown, tables=", ".join(holding))


def _write_all(source: Endpoint, target: Endpoint, tables: dict[str, list[Column]]) -> list[tuple[str, int]]:
    _refuse_unless_empty(target, tables)  # again inside the transaction: nobody wrote in between
    copied = []
    for table, columns in tables.items():
        try:
            count = _copy_table(source, target, table, columns)
        except (psycopg.Error, sqlite3.Error) as error:
            raise ToolError(COPY_FAILED, table=table, reason=first_line(error)) from None
        copied.append((table, count))
    if target.dialect == "postgresql":
        for table, columns in tables.items():
            for column in columns:
                if column.is_identity:
                    _reset_identity(target.conn, table, column.name)
        target.conn.execute("SELECT pg_notify(?, ?)", (CHANNEL, "db-copy"))
    target.conn.execute(BUMP_EPOCH)  # running processes on the target forget what they cached
    return copied


def _copy_table(source: Endpoint, target: Endpoint, table: str, columns: list[Column]) -> int:
    names = ", ".join(f'"{c.name}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    insert = f'INSERT INTO "{table}" ({names}) VALUES ({marks})'
    booleans = [i for i, c in enumerate(columns) if c.is_boolean]
    rows = source.conn.execute(f'SELECT {names} FROM "{table}" ORDER BY 1')
    count = 0
    for batch in _batches(rows, BATCH_ROWS):
        for row in batch:
            for i in booleans:
                row[i] = None if row[i] is None else bool(row[i])
        target.conn.executemany(insert, batch)
        count += len(batch)
    return count


def _batches(rows: Iterable[Any], size: int) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(list(row))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def copy_order(references: dict[str, set[str]]) -> list[str]:
    """Tables so that each comes after those its foreign keys point at; ToolError for cycles and self-links."""
    order: list[str] = []
    waiting = dict(references)
    while waiting:
        ready = sorted(t for t, parents in waiting.items() if all(p in order for p in parents))
        if not ready:
            raise ToolError(UNORDERABLE, tables=", ".join(sorted(waiting)))
        order.extend(ready)
        for table in ready:
            del waiting[table]
    return order


# --- Reading the schema ------------------------------------------------------------------------------------


def schema_tables(endpoint: Endpoint) -> list[str]:
    """Every table of the database (SQLite's own tables left out)."""
    if endpoint.dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
    else:
        sql = (
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    return sorted(str(row[0]) for row in endpoint.conn.execute(sql))


def referenced_tables(endpoint: Endpoint, table: str) -> set[str]:
    """The tables that `table`'s foreign keys point at (itself included if it points at itself)."""
    if endpoint.dialect == "sqlite":
        return {str(row[2]) for row in endpoint.conn.execute(f'PRAGMA foreign_key_list("{table}")')}
    sql = (
        "SELECT DISTINCT parent.relname FROM pg_constraint c"
        " JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid"
        " JOIN pg_namespace n ON n.oid = child.relnamespace"
        " WHERE c.contype = 'f' AND child.relname = ? AND n.nspname = current_schema()"
    )
    return {str(row[0]) for row in endpoint.conn.execute(sql, (table,))}


def table_columns(endpoint: Endpoint, table: str) -> list[Column]:
    """The columns of `table` in declared order, with what the copy must know about their type."""
    if endpoint.dialect == "sqlite":
        info = list(endpoint.conn.execute(f'PRAGMA table_info("{table}")'))
        keys = [row for row in info if row[5]]
        return [
            Column(
                name=str(row[1]),
                is_boolean=str(row[2]).upper() == "BOOLEAN",
                is_identity=len(keys) == 1 and row[5] and str(row[2]).upper() == "INTEGER",
            )
            for row in info
        ]
    sql = (
        "SELECT column_name, data_type, is_identity FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
    )
    return [
        Column(name=str(row[0]), is_boolean=row[1] == "boolean", is_identity=row[2] == "YES")
        for row in endpoint.conn.execute(sql, (table,))
    ]


def _has_table(endpoint: Endpoint, table: str) -> bool:
    return table in schema_tables(endpoint)


def _has_rows(endpoint: Endpoint, table: str) -> bool:
    return endpoint.conn.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone() is not None


def _versions(endpoint: Endpoint) -> set[int]:
    return {int(row[0]) for row in endpoint.conn.execute("SELECT version FROM schema_migrations")}


def _begin_snapshot(endpoint: Endpoint) -> None:
    """Start a read transaction: every table is read as of one moment, while a server may keep writing."""
    if endpoint.dialect == "sqlite":
        endpoint.conn.execute("BEGIN")
        endpoint.conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the snapshot starts here
    else:
        endpoint.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")


def _begin_write(endpoint: Endpoint) -> None:
    endpoint.conn.execute(
        "BEGIN IMMEDIATE" if endpoint.dialect == "sqlite" else "BEGIN ISOLATION LEVEL SERIALIZABLE"
    )


def _reset_identity(conn: Connection, table: str, column: str) -> None:
    """After explicit ids, let PostgreSQL number new rows after the highest copied one."""
    conn.execute(
        f'SELECT setval(pg_get_serial_sequence(?, ?), COALESCE((SELECT MAX("{column}") FROM "{table}"), 0) + 1,'
        " false)",
        (table, column),
    )
