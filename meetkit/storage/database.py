"""The one owner of the database: SQLite in WAL mode, migrations, reads on the loop, writes on one thread."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

MIGRATIONS_PACKAGE = "meetkit.storage.migrations"
READ_CACHE_SIZE = 50_000
# How often cache_get asks SQLite whether another process committed (one statement costs about as much as a
# whole cached answer). Commits by this process empty the cache at once; another process's (the CLI's)
# reach cached answers at most this late.
CACHE_RECHECK_SECONDS = 0.01


def utc_now() -> str:
    """Return the current UTC time as stored: ISO 8601 with seconds and a Z."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Database:
    """SQLite database with one writer thread (transactions) and one reader connection on the loop."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._writer: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meetkit-db-writer")
        self._cache: dict[Hashable, object] = {}
        self._cache_version = -1
        self._cache_checked = float("-inf")

    async def open(self) -> None:
        """Create the file if needed, apply pending migrations and open the connections."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        loop = asyncio.get_running_loop()
        self._writer = await loop.run_in_executor(self._executor, self._connect_writer)
        self._reader = _connect(self.path)
        self._reader.execute("PRAGMA query_only = ON")
        self._cache_version = self._reader.execute("PRAGMA data_version").fetchone()[0]

    async def close(self) -> None:
        """Close both connections and stop the writer thread."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._writer is not None:
            writer, self._writer = self._writer, None
            await asyncio.get_running_loop().run_in_executor(self._executor, writer.close)
        self._executor.shutdown(wait=True)

    async def read(self, query: Callable[[sqlite3.Connection], T]) -> T:
        """Run a read-only `query(conn)`; indexed look-ups are fast enough to run on the loop."""
        assert self._reader is not None, "Database is not open"
        return query(self._reader)

    def cache_get(self, key: Hashable, kind: type[T]) -> T | None:
        """Return what was cached under `key` if it is a `kind` (None when absent). The cache empties on every commit of
        this process, and within CACHE_RECHECK_SECONDS of another process's (SQLite's data_version)."""
        assert self._reader is not None, "Database is not open"
        now = time.monotonic()
        if now - self._cache_checked >= CACHE_RECHECK_SECONDS:
            self._cache_checked = now
            version = self._reader.execute("PRAGMA data_version").fetchone()[0]
            if version != self._cache_version:
                self._cache.clear()
                self._cache_version = version
        value = self._cache.get(key)
        return value if isinstance(value, kind) else None

    def cache_put(self, key: Hashable, value: object) -> None:
        """Cache an immutable `value` under `key` until the next committed change anywhere."""
        if len(self._cache) >= READ_CACHE_SIZE:
            self._cache.clear()
        self._cache[key] = value

    async def write(self, change: Callable[[sqlite3.Connection], T], *, invalidates_cache: bool = True) -> T:
        """Run `change(conn)` in one transaction on the writer thread; any exception rolls it back.

        Pass `invalidates_cache=False` only for changes no cached answer shows (attendance counts, failures)."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, self._transaction, change)
        finally:
            if invalidates_cache:
                self._cache.clear()  # what this process changed is never served from the cache

    def _transaction(self, change: Callable[[sqlite3.Connection], T]) -> T:
        conn = self._writer
        assert conn is not None, "Database is not open"
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = change(conn)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    def _connect_writer(self) -> sqlite3.Connection:
        conn = _connect(self.path)
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn)
        return conn


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")  # a committed transaction survives power loss too
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply every migration not yet recorded, each in its own transaction; return their names."""
    applied_now = []
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for version, name, sql in _migration_files():
        conn.execute("BEGIN IMMEDIATE")  # serialises concurrent starts (server and CLI)
        try:
            if conn.execute("SELECT 1 FROM schema_migrations WHERE version = ?", (version,)).fetchone():
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(sql):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, utc_now()),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied_now.append(name)
    return applied_now


def _migration_files() -> list[tuple[int, str, str]]:
    files = []
    for entry in resources.files(MIGRATIONS_PACKAGE).iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            files.append((int(number), rest.removesuffix(".sql"), entry.read_text(encoding="utf-8")))
    return sorted(files)


def _statements(sql: str) -> list[str]:
    """Split a migration into complete statements (triggers included) using SQLite's own parser."""
    statements, buffer = [], ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip().strip(";").strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        raise ValueError(f"incomplete SQL statement at the end of a migration: {buffer.strip()[:60]}")
    return statements
