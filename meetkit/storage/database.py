"""The one owner of the database: SQLite (embedded default) or PostgreSQL (several instances), same interface."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar
from urllib.parse import urlsplit

from meetkit.storage.cache import ReadCache
from meetkit.storage.connection import Connection
from meetkit.storage.migrate import utc_now

__all__ = ["Database", "database_for", "shown_url", "utc_now"]

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
ManyQuery = Callable[[Connection, Sequence[K]], Mapping[K, V]]

MAX_KEYS_PER_READ = 256

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class Database(ABC):
    """Reads, writes in one transaction each, and a read cache kept true across processes."""

    dialect: ClassVar[str]

    def __init__(self, url: str) -> None:
        self.url = url
        self._cache = ReadCache()
        self._pending: dict[Callable[..., Any], dict[Any, list[asyncio.Future[Any]]]] = {}
        self._reads_many: set[asyncio.Future[None]] = set()

    @abstractmethod
    async def open(self) -> None:
        """Connect, creating and migrating the schema where needed."""

    @abstractmethod
    async def close(self) -> None:
        """Close every connection and stop the threads."""

    @abstractmethod
    async def read(self, query: Callable[[Connection], T]) -> T:
        """Run a read-only `query(conn)` and return its result."""

    @abstractmethod
    async def write(self, change: Callable[[Connection], T], *, invalidates_cache: bool = True) -> T:
        """Run `change(conn)` in one transaction; any exception rolls all of it back.

        Pass `invalidates_cache=False` only for changes that no cached answer shows (attendance counts, failed
        look-ups): every other commit empties the read cache of every process at once."""

    async def refresh_statistics(self, tables: Sequence[str]) -> None:  # noqa: B027 - PostgreSQL only
        """Give the query planner the new size of `tables` after a bulk write (SQLite plans without it)."""

    async def erase_deleted(self) -> None:  # noqa: B027 - SQLite only
        """Remove what deleted rows left on disk where the backend can (SQLite's WAL; PostgreSQL's VACUUM is its own)."""

    async def read_one(self, query: ManyQuery[K, V], key: K) -> V | None:
        """Return `query(conn, keys)`'s answer for `key` (None when it has none).

        Look-ups through the same `query` that begin in one turn of the event loop share one read: on
        PostgreSQL one thread hop and one statement serve many requests at once (SQLite overrides this)."""
        loop = asyncio.get_running_loop()
        waiting = self._pending.get(query)
        if waiting is None:
            waiting = self._pending[query] = {}
            loop.call_soon(self._start_read_many, query)
        future: asyncio.Future[V | None] = loop.create_future()
        waiting.setdefault(key, []).append(future)
        if len(waiting) >= MAX_KEYS_PER_READ:
            self._start_read_many(query)
        return await future

    def _start_read_many(self, query: ManyQuery[Any, Any]) -> None:
        waiting = self._pending.pop(query, None)
        if waiting:
            self._reads_many.add(task := asyncio.ensure_future(self._read_many(query, waiting)))
            task.add_done_callback(self._reads_many.discard)

    async def _read_many(
        self, query: ManyQuery[Any, Any], waiting: dict[Any, list[asyncio.Future[Any]]]
    ) -> None:
        keys = list(waiting)
        try:
            found = await self.read(lambda conn: query(conn, keys))
        except Exception as error:
            for futures in waiting.values():
                for future in futures:
                    if not future.done():  # a caller that gave up (cancelled) is not told
                        future.set_exception(error)
            return
        for key, futures in waiting.items():
            for future in futures:
                if not future.done():
                    future.set_result(found.get(key))

    def cache_get(self, key: Hashable, kind: type[T]) -> T | None:
        """Return what was cached under `key` if it is a `kind` (None when absent)."""
        self._recheck()
        return self._cache.get(key, kind)

    def cache_put(self, key: Hashable, value: object) -> None:
        """Cache an immutable `value` read after a `cache_get` miss, until the next change that empties it."""
        self._cache.put(key, value)

    def _recheck(self) -> None:  # noqa: B027 - a hook: only backends that are not told of commits poll
        """Notice other processes' invalidating commits."""


def database_for(url: str) -> Database:
    """Return the (not yet opened) database for a URL: `sqlite:///PATH` or `postgresql://...`."""
    if url.startswith(POSTGRES_SCHEMES):
        from meetkit.storage.postgres import PostgresDatabase

        return PostgresDatabase(url)
    from meetkit.storage.sqlite import SqliteDatabase

    return SqliteDatabase(Path(url.removeprefix("sqlite:///")))


def shown_url(url: str) -> str:
    """A database URL as it may be printed: scheme, user, host, port and database, never a password."""
    if url.startswith("sqlite:///"):
        return url
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
        user = f"{parts.username}@" if parts.username else ""
    except ValueError:
        return url.split("://", 1)[0] + "://..."
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"
