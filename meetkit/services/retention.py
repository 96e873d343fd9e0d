"""Retention: delete old meetings (keeping their monthly totals), old audit entries and what has expired."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from meetkit.config import Settings
from meetkit.domain import retention as rules
from meetkit.domain.monthly_report import archive_weeks
from meetkit.domain.retention import Cutoffs, Kind
from meetkit.services.jobs import Lease
from meetkit.storage import retention as storage
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

log = logging.getLogger("meetkit.retention")


@dataclass(slots=True)
class PurgeResult:
    """What a purge removed (or, dry, would remove), and how long each batch held the writer."""

    cutoffs: Cutoffs
    removed: dict[Kind, int]
    dry_run: bool = False
    batch_seconds: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def as_json(self) -> dict[str, object]:
        """The JSON shape (`meetkit purge --json`)."""
        return {
            "dry_run": self.dry_run,
            "meetings_before": self.cutoffs.meetings_before,
            "audit_before": self.cutoffs.audit_before,
            "removed" if not self.dry_run else "would_remove": {k.value: n for k, n in self.removed.items()},
            "batches": len(self.batch_seconds),
            "seconds": round(self.seconds, 3),
        }


def purge_cutoffs(settings: Settings, now: dt.datetime | None = None) -> Cutoffs:
    """The cut-offs of a purge now under these settings."""
    moment = now or dt.datetime.now(dt.UTC)
    return rules.cutoffs(moment, settings.retention_months, settings.staff_idle_minutes)


async def preview(db: Database, settings: Settings, now: dt.datetime | None = None) -> PurgeResult:
    """What a purge now would remove, per kind (nothing is changed)."""
    cutoffs = purge_cutoffs(settings, now)
    counts = await db.read(lambda conn: storage.pending(conn, cutoffs))
    return PurgeResult(cutoffs, counts, dry_run=True)


def _meeting_batch(conn: Connection, before: str, limit: int) -> int:
    """Sum up and delete one batch of old meetings in one transaction."""
    found = storage.old_meetings(conn, before, limit)
    if not found:
        return 0
    storage.add_totals(conn, archive_weeks(meeting for _, meeting in found))
    return storage.delete_meetings(conn, [row_id for row_id, _ in found])


async def purge(
    db: Database,
    settings: Settings,
    now: dt.datetime | None = None,
    batch_rows: int = rules.BATCH_ROWS,
) -> PurgeResult:
    """Remove what retention says must go, in batches of at most `batch_rows` rows per transaction."""
    cutoffs = purge_cutoffs(settings, now)
    result = PurgeResult(cutoffs, dict.fromkeys(Kind, 0))
    started = time.perf_counter()
    for kind in Kind:
        step: Callable[[Connection], int]
        if kind is Kind.MEETINGS:

            def step(conn: Connection) -> int:
                return _meeting_batch(conn, cutoffs.meetings_before, batch_rows)

        else:

            def step(conn: Connection, kind: Kind = kind) -> int:
                return storage.delete_expired(conn, kind, cutoffs, batch_rows)

        while True:
            batch_started = time.perf_counter()
            # nothing a cached answer shows: counts, the audit log, expired links and sessions
            gone = await db.write(step, invalidates_cache=False)
            result.batch_seconds.append(time.perf_counter() - batch_started)
            result.removed[kind] += gone
            if gone < batch_rows:
                break
            await asyncio.sleep(0)  # let other work in between batches
    if any(result.removed.values()):
        await db.erase_deleted()
    result.seconds = time.perf_counter() - started
    return result


async def run_daily(
    db: Database,
    settings: Settings,
    first_seconds: float = rules.FIRST_RUN_SECONDS,
    check_seconds: float = 3600.0,
) -> None:
    """Purge once a day across every process sharing the database: whoever takes the day's lease runs it.

    The first attempt comes `first_seconds` after start. Each attempt uses a new lease holder, so a lease
    taken is never renewed: the next purge runs in the first attempt (of any process) after the lease of
    RUN_EVERY_SECONDS ran out.
    """
    await asyncio.sleep(first_seconds)
    while True:
        lease = Lease(db, rules.JOB_NAME, rules.RUN_EVERY_SECONDS)
        try:
            if await lease.hold():
                result = await purge(db, settings)
                log.info(
                    "retention: removed %s in %d batches (longest %.1f ms)",
                    ", ".join(f"{n} {kind.value}" for kind, n in result.removed.items()),
                    len(result.batch_seconds),
                    1000 * max(result.batch_seconds, default=0.0),
                )
        except asyncio.CancelledError:
            raise
        except Exception as error:  # a lost database: try again at the next check
            log.warning("retention: purge failed (%s); trying again later", type(error).__name__)
            with contextlib.suppress(Exception):
                await lease.release()  # the next check (here or elsewhere) tries again
        await asyncio.sleep(check_seconds)
