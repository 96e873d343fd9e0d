"""SQLite in WAL mode: reads on the event loop, writes on one thread, one transaction each."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from meetkit.storage.connection import Connection
from meetkit.storage.database import Database, K, ManyQuery, V
from meetkit.storage.migrate import migrate

T = TypeVar("T")

# How often cache_get asks SQLite whether another process committed (one statement costs about as much as a
# whole cached answer). Commits by this process empty the cache at once; another process's (the CLI's, a
# second worker's) reach cached answers at most this late.
CACHE_RECHECK_SECONDS = 0.01
BUMP_EPOCH = "UPDATE cache_epoch SET epoch = epoch + 1 WHERE id = 1"


class SqliteDatabase(Database):
    """SQLite database with one writer thread (transactions) and one reader connection on the loop."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        super().__init__(f"sqlite:///{path}")
        self.path = path
        self._writer: sqlite3.Connection | None = None
        self._reader: sqlite3.Connection | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meetkit-db-writer")
        self._data_version = -1
        self._epoch = -1
        self._checked = float("-inf")

    async def open(self) -> None:
        """Create the file if needed, apply pending migrations and open the connections."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        loop = asyncio.get_running_loop()
        self._writer = await loop.run_in_executor(self._executor, self._connect_writer)
        self._reader = connect(self.path)
        self._reader.execute("PRAGMA query_only = ON")
        self._data_version = self._reader.execute("PRAGMA data_version").fetchone()[0]
        self._epoch = self._read_epoch()

    async def close(self) -> None:
        """Close both connections and stop the writer thread."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        if self._writer is not None:
            writer, self._writer = self._writer, None
            await asyncio.get_running_loop().run_in_executor(self._executor, writer.close)
        self._executor.shutdown(wait=True)

    async def read(self, query: Callable[[Connection], T]) -> T:
        """Run a read-only `query(conn)`; indexed look-ups are fast enough to run on the loop."""
        assert self._reader is not None, "Database is not open"
        return query(self._reader)

    async def read_one(self, query: ManyQuery[K, V], key: K) -> V | None:
        """Return `query(conn, [key])`'s answer for `key` at once: on the loop, a statement costs less than
        waiting for company would (PostgreSQL shares reads, see Database.read_one)."""
        assert self._reader is not None, "Database is not open"
        return query(self._reader, [key]).get(key)

    async def write(self, change: Callable[[Connection], T], *, invalidates_cache: bool = True) -> T:
        """Run `change(conn)` in one transaction on the writer thread; any exception rolls it back."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor, self._transaction, change, invalidates_cache)
        finally:
            if invalidates_cache:
                self._cache.invalidate()  # what this process changed is never served from the cache

    def _recheck(self) -> None:
        """Every CACHE_RECHECK_SECONDS: if another process committed, empty the cache if it moved the epoch."""
        now = time.monotonic()
        if now - self._checked < CACHE_RECHECK_SECONDS:
            return
        self._checked = now
        assert self._reader is not None, "Database is not open"
        version = self._reader.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._data_version = version
            epoch = self._read_epoch()
            if epoch != self._epoch:
                self._epoch = epoch
                self._cache.invalidate()

    def _read_epoch(self) -> int:
        assert self._reader is not None, "Database is not open"
        return int(self._reader.execute("SELECT epoch FROM cache_epoch WHERE id = 1").fetchone()[0])

    def _transaction(self, change: Callable[[Connection], T], invalidates_cache: bool) -> T:
        conn = self._writer
        assert conn is not None, "Database is not open"
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = change(conn)
            if invalidates_cache:
                conn.execute(BUMP_EPOCH)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        return result

    async def erase_deleted(self) -> None:
        """Copy the WAL into the file and empty it, so deleted rows' old page versions are gone from disk too."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._executor, self._checkpoint)

    def _checkpoint(self) -> None:
        assert self._writer is not None, "Database is not open"
        self._writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _connect_writer(self) -> sqlite3.Connection:
        conn = connect(self.path)
        conn.execute("PRAGMA journal_mode = WAL")
        migrate(conn, self.dialect)
        return conn


def connect(path: Path) -> sqlite3.Connection:
    """Open a connection with meetkit's settings: foreign keys, full sync, a generous busy timeout."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")  # a committed transaction survives power loss too
    conn.execute("PRAGMA busy_timeout = 10000")
    # deleted rows are overwritten with zeros, not left in free space (privacy: deleted means gone from the file)
    conn.execute("PRAGMA secure_delete = ON")
    return conn
