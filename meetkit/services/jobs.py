"""Background jobs that run in exactly one of all the processes sharing a database."""

from __future__ import annotations

import secrets
import time

from meetkit.storage import leases
from meetkit.storage.database import Database


class Lease:
    """This process's claim on one job: held while renewed in time, taken over by another when it runs out."""

    def __init__(self, db: Database, job: str, seconds: float) -> None:
        self._db = db
        self.job = job
        self.seconds = max(int(seconds + 0.999), 1)
        self.holder = secrets.token_hex(8)  # random per process and job: says nothing about the machine

    async def hold(self) -> bool:
        """Take or renew the lease; return whether this process may run the job now."""
        now = int(time.time())
        return await self._db.write(
            lambda conn: leases.acquire(conn, self.job, self.holder, now, self.seconds),
            invalidates_cache=False,
        )

    async def release(self) -> None:
        """Let another process take the job at once (on shutdown)."""
        await self._db.write(
            lambda conn: leases.release(conn, self.job, self.holder), invalidates_cache=False
        )
