"""The daily retention purge while `meetkit serve` runs (one process of all takes each day's lease)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from meetkit.domain.retention import FIRST_RUN_SECONDS
from meetkit.services import retention
from meetkit.web.keys import DATABASE, RETENTION_DELAY, SETTINGS


async def retention_ctx(app: web.Application) -> AsyncIterator[None]:
    """Run the purge a few minutes after start and then daily, in the background (needs the database)."""
    delay = app.get(RETENTION_DELAY, FIRST_RUN_SECONDS)
    task = asyncio.create_task(
        retention.run_daily(app[DATABASE], app[SETTINGS], delay), name="meetkit-retention"
    )
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
