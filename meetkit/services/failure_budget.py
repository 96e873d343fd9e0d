"""The failure budget in the database: shared by all processes, kept across restarts, cheap to check."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from meetkit.domain.errors import RateLimited
from meetkit.domain.failure_budget import BUDGETS, LONGEST_WINDOW, SecretKind, retry_after_seconds
from meetkit.storage import failures
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

Clock = Callable[[], float]
BLOCKS_CACHE_KEY = ("failure_budget", "blocks")
MESSAGE = "Zu viele ungültige Versuche. Bitte warten Sie einige Minuten."


@dataclass(frozen=True)
class BlockedClients:
    """The blocks in force when read: (kind, client key) to the unix time the block ends."""

    until: Mapping[tuple[str, str], float]


@dataclass
class _Batch:
    """Failures waiting for one shared transaction, and the future that resolves when it committed."""

    done: asyncio.Future[None]
    failures: list[tuple[str, str, float]] = field(default_factory=list)


class FailureBudget:
    """Counts failed look-ups per client and kind of secret in the database and refuses used-up clients."""

    # A check reads the blocked clients through the read cache, so it costs no database round trip until a
    # commit somewhere empties the cache. Failures are written without emptying it (failures that arrive
    # while one is being written share the next transaction); only a failure that uses up a budget writes a
    # block, and that write empties the caches of all processes.

    def __init__(self, db: Database, clock: Clock = time.time) -> None:
        self.db = db
        self.clock = clock
        self._batch: _Batch | None = None
        self._writer: asyncio.Task[None] | None = None

    async def check(self, kind: SecretKind, client: str) -> None:
        """Raise RateLimited (with the seconds to wait) while this client's budget for `kind` is used up."""
        blocked = self.db.cache_get(BLOCKS_CACHE_KEY, BlockedClients)
        if blocked is None:
            blocked = await self._read_blocks()
        until = blocked.until.get((kind, client))
        if until is not None:
            now = self.clock()
            if until > now:
                raise RateLimited(MESSAGE, retry_after_seconds(until, now))

    async def fail(self, kind: SecretKind, client: str) -> None:
        """Count one failure of this client; return once it is committed (and a block with it, if any)."""
        if self._batch is None:
            self._batch = _Batch(asyncio.get_running_loop().create_future())
        batch = self._batch
        batch.failures.append((kind.value, client, self.clock()))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_batches())
        await asyncio.shield(batch.done)

    async def prune(self) -> int:
        """Delete failures that count for no budget any more and blocks that ended; return how many."""
        now = self.clock()
        return await self.db.write(
            lambda conn: failures.prune(conn, now - LONGEST_WINDOW, now), invalidates_cache=False
        )

    async def close(self) -> None:
        """Wait until every counted failure is committed."""
        if self._writer is not None:
            await asyncio.gather(self._writer, return_exceptions=True)

    async def _read_blocks(self) -> BlockedClients:
        now = self.clock()
        rows = await self.db.read(lambda conn: failures.active_blocks(conn, now))
        blocked = BlockedClients({(kind, client): until for kind, client, until in rows})
        self.db.cache_put(BLOCKS_CACHE_KEY, blocked)
        return blocked

    async def _write_batches(self) -> None:
        while self._batch is not None:
            batch, self._batch = self._batch, None
            try:
                await self._commit(batch.failures)
            except Exception as error:
                batch.done.set_exception(error)
            else:
                batch.done.set_result(None)

    async def _commit(self, batch: list[tuple[str, str, float]]) -> None:
        now = self.clock()
        blocks = await self.db.write(lambda conn: _count(conn, batch, now), invalidates_cache=False)
        if blocks:  # the one kind of write that changes what checks answer: it empties every cache
            await self.db.write(lambda conn: _block(conn, blocks))


def _count(conn: Connection, batch: list[tuple[str, str, float]], now: float) -> list[tuple[str, str, float]]:
    """Store the failures; return (kind, client, until) for each client whose budget they used up."""
    failures.add_failures(conn, batch)
    blocks = []
    for kind, client in sorted({(kind, client) for kind, client, _ in batch}):
        budget = BUDGETS[SecretKind(kind)]
        times = failures.failure_times(conn, kind, client, since=now - budget.longest_window)
        until = budget.blocked_until(times, now)
        if until is not None:
            blocks.append((kind, client, until))
    return blocks


def _block(conn: Connection, blocks: list[tuple[str, str, float]]) -> None:
    for kind, client, until in blocks:
        failures.block(conn, kind, client, until)
