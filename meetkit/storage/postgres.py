"""PostgreSQL through psycopg 3: reads in a small thread pool, writes on one thread, change notifications."""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg.adapt import Loader
from psycopg.sql import SQL, Identifier

from meetkit.domain.errors import Unavailable
from meetkit.storage.connection import Cursor, Params
from meetkit.storage.database import Database
from meetkit.storage.migrate import migrate

T = TypeVar("T")
log = logging.getLogger("meetkit.storage")

CHANNEL = "meetkit_cache"
READER_THREADS = 4
SERIALIZATION_RETRIES = 8
CONNECT_TIMEOUT_SECONDS = 5
UNAVAILABLE = "Die Datenbank ist gerade nicht erreichbar. Bitte versuchen Sie es in einer Minute noch einmal."
RETRYABLE = (pg_errors.SerializationFailure, pg_errors.DeadlockDetected)


class PostgresDatabase(Database):
    """PostgreSQL shared by any number of meetkit processes; each tells the others what to forget."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._writer: PgConnection | None = None
        self._write_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="meetkit-pg-writer")
        self._read_executor = ThreadPoolExecutor(READER_THREADS, thread_name_prefix="meetkit-pg-reader")
        self._readers = threading.local()
        self._reader_connections: list[PgConnection] = []
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._listener: threading.Thread | None = None
        self._instance = secrets.token_hex(8)  # this process's own notifications need no second clearing

    async def open(self) -> None:
        """Connect, migrate, and start listening for other processes' invalidations."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._write_executor, self._open_writer)
        self._listener = threading.Thread(target=self._listen, name="meetkit-pg-listener", daemon=True)
        self._listener.start()
        await loop.run_in_executor(None, self._listening.wait, CONNECT_TIMEOUT_SECONDS)

    async def close(self) -> None:
        """Close every connection and stop the threads."""
        self._stopping.set()
        loop = asyncio.get_running_loop()
        if self._listener is not None:
            await loop.run_in_executor(None, self._listener.join)
        await loop.run_in_executor(self._write_executor, self._close_writer)
        self._write_executor.shutdown(wait=True)
        self._read_executor.shutdown(wait=True)
        for conn in self._reader_connections:
            conn.raw.close()

    async def read(self, query: Callable[[PgConnection], T]) -> T:
        """Run a read-only `query(conn)` on a reader thread (each statement sees the latest commits)."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._read_executor, self._read_on_thread, query)

    async def write(self, change: Callable[[PgConnection], T], *, invalidates_cache: bool = True) -> T:
        """Run `change(conn)` in one serializable transaction on the writer thread, retried on conflicts."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self._write_executor, self._transaction, change, invalidates_cache
            )
        finally:
            if invalidates_cache:
                self._cache.invalidate()

    async def refresh_statistics(self, tables: Sequence[str]) -> None:
        """ANALYZE `tables` on the writer thread, so every process plans with their new size at once."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._write_executor, self._analyze, tables)

    def _analyze(self, tables: Sequence[str]) -> None:
        if self._writer is None or self._writer.raw.closed:
            self._writer = _connect(self.url)
        analyze(self._writer, tables)

    def _open_writer(self) -> None:
        self._writer = _connect(self.url)
        migrate(self._writer, self.dialect)
        analyze_unplanned(self._writer)

    def _close_writer(self) -> None:
        if self._writer is not None:
            self._writer.raw.close()
            self._writer = None

    def _read_on_thread(self, query: Callable[[PgConnection], T]) -> T:
        conn: PgConnection | None = getattr(self._readers, "conn", None)
        if conn is None or conn.raw.closed:
            conn = self._readers.conn = _connect(self.url)
            self._reader_connections.append(conn)
        try:
            return query(conn)
        except psycopg.OperationalError:
            conn.raw.close()
            raise Unavailable(UNAVAILABLE) from None

    def _transaction(self, change: Callable[[PgConnection], T], invalidates_cache: bool) -> T:
        for attempt in range(SERIALIZATION_RETRIES):
            try:
                if self._writer is None or self._writer.raw.closed:
                    self._writer = _connect(self.url)
                return _run_serializable(self._writer, change, self._notice(invalidates_cache))
            except RETRYABLE:
                time.sleep(0.002 * 2**attempt)
            except psycopg.OperationalError:
                if self._writer is not None:
                    self._writer.raw.close()
                raise Unavailable(UNAVAILABLE) from None
        return _run_serializable(self._writer, change, self._notice(invalidates_cache))

    def _notice(self, invalidates_cache: bool) -> str | None:
        """The payload that tells other processes to empty their cache, or None for no notification."""
        return self._instance if invalidates_cache else None

    def _listen(self) -> None:
        """Empty the read cache whenever another process commits an invalidating change."""
        interrupted = False
        while not self._stopping.is_set():
            try:
                with psycopg.connect(
                    self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
                ) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._cache.invalidate()  # whatever was missed while not listening
                    self._listening.set()
                    if interrupted:
                        log.info("database notifications work again")
                        interrupted = False
                    while not self._stopping.is_set():
                        for note in conn.notifies(timeout=0.2):
                            if note.payload != self._instance:
                                self._cache.invalidate()
            except psycopg.Error as error:
                self._cache.invalidate()
                if not interrupted and not self._stopping.is_set():
                    log.warning("database notifications interrupted (%s); reconnecting", first_line(error))
                interrupted = True
                self._stopping.wait(0.5)


def analyze_unplanned(conn: PgConnection) -> list[str]:
    """ANALYZE the tables that hold rows but were never analyzed (a database just copied or loaded)."""
    # Until autovacuum gets to such a database (a minute or more) it has no planner statistics, and PostgreSQL
    # takes the partial indexes of active groups (migration 0013) for nearly empty: it scans one whole for
    # every look-up by member code or room instead of the unique index, about 13 ms per look-up among
    # 11,000 groups (docs/performance.md).
    names = [
        row[0]
        for row in conn.raw.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = current_schema() AND c.relkind = 'r' AND c.reltuples < 0"
            " AND pg_relation_size(c.oid) > 0 ORDER BY c.relname"
        )
    ]
    analyze(conn, names)
    if names:
        log.info("gathered planner statistics for %d tables", len(names))
    return names


def analyze(conn: PgConnection, tables: Iterable[str]) -> None:
    """Gather fresh planner statistics for each of `tables` (a new plan for every cached statement on them)."""
    for name in tables:
        conn.raw.execute(SQL("ANALYZE {}").format(Identifier(name)))


def _run_serializable(
    conn: PgConnection | None, change: Callable[[PgConnection], T], notice: str | None
) -> T:
    assert conn is not None, "Database is not open"
    conn.raw.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
    try:
        result = change(conn)
        if notice is not None:  # delivered at COMMIT, to every listening process
            conn.raw.execute("SELECT pg_notify(%s, %s)", (CHANNEL, notice))
    except BaseException:
        if not conn.raw.closed:
            conn.raw.execute("ROLLBACK")
        raise
    conn.raw.execute("COMMIT")
    return result


# --- The connection adapter -------------------------------------------------------------------------------

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"[^\"]*\"|::|\?|:([A-Za-z_]\w*)|%")


@functools.lru_cache(maxsize=4096)
def translate(sql: str) -> str:
    """Turn SQLite's `?` and `:name` placeholders into psycopg's `%s` and `%(name)s` (strings untouched)."""

    def replace(match: re.Match[str]) -> str:
        text = match.group(0)
        if text == "?":
            return "%s"
        if text == "%":
            return "%%"
        if match.group(1):
            return f"%({match.group(1)})s"
        return text

    return _TOKENS.sub(replace, sql)


class PgRow(tuple[Any, ...]):
    """A result row answering `row[0]` and `row["name"]`, like sqlite3.Row."""

    __slots__ = ()
    _index: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self._index)


@functools.lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[PgRow]:
    return type("PgRow", (PgRow,), {"__slots__": (), "_index": {name: i for i, name in enumerate(names)}})


def _row_factory(cursor: Any) -> Callable[[Sequence[Any]], PgRow]:
    names = tuple(column.name for column in cursor.description or ())
    return _row_class(names)


class _NumericLoader(Loader):
    """numeric (SUM and AVG of integers) as int when whole, else float, as SQLite answers."""

    def load(self, data: Any) -> int | float:
        value = Decimal(bytes(data).decode())
        return int(value) if value == value.to_integral_value() else float(value)


class PgConnection:
    """A psycopg connection speaking the storage modules' dialect (see storage/connection.py)."""

    def __init__(self, raw: psycopg.Connection[Any]) -> None:
        self.raw = raw

    def execute(self, sql: str, parameters: Params = (), /) -> Cursor:
        """Run one statement; `?`/`:name` placeholders as in SQLite."""
        return self.raw.execute(translate(sql), parameters)

    def executemany(self, sql: str, parameters: Iterable[Params], /) -> Cursor:
        """Run one statement for each parameter set (none: no round trip)."""
        sets = list(parameters)
        if not sets:  # psycopg would still enter pipeline mode and wait for the server's answer to a Sync
            return _NO_ROWS
        cursor = self.raw.cursor()
        cursor.executemany(translate(sql), sets)
        return cursor


class _NoRows:
    """The result of running a statement for no parameter sets: nothing changed, nothing to fetch."""

    rowcount = 0

    def fetchone(self) -> Any:
        """No row."""
        return None

    def fetchall(self) -> list[Any]:
        """No rows."""
        return []

    def __iter__(self) -> Iterator[Any]:
        return iter(())


_NO_ROWS = _NoRows()


def first_line(error: BaseException) -> str:
    """The first non-empty line of an error's text (database errors add hints and details below it)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def _connect(url: str) -> PgConnection:
    try:
        raw = psycopg.connect(
            url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS, row_factory=_row_factory
        )
    except psycopg.OperationalError as error:
        log.warning("cannot connect to PostgreSQL: %s", first_line(error))  # for the operator, not visitors
        raise Unavailable(UNAVAILABLE) from None
    raw.adapters.register_loader("numeric", _NumericLoader)
    return PgConnection(raw)


def connect(url: str) -> PgConnection:
    """Open one autocommit connection with meetkit's row type (for tools: copy, backup, tests)."""
    return _connect(url)


def schema_exists(url: str) -> bool:
    """Whether meetkit's tables are in this PostgreSQL database (commands other than serve create none)."""
    conn = _connect(url)
    try:
        return conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0] is True
    finally:
        conn.raw.close()
