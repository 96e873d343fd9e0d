"""The one owner of the database: SQLite (embedded default) or PostgreSQL (several instances), same interface."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import ClassVar, TypeVar
from urllib.parse import urlsplit

from meetkit.storage.cache import ReadCache
from meetkit.storage.connection import Connection
from meetkit.storage.migrate import utc_now

__all__ = ["Database", "database_for", "shown_url", "utc_now"]

T = TypeVar("T")

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class Database(ABC):
    """Reads, writes in one transaction each, and a read cache kept true across processes."""

    dialect: ClassVar[str]

    def __init__(self, url: str) -> None:
        self.url = url
        self._cache = ReadCache()

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
