"""The daily retention purge while `meetkit serve` runs (one process of all takes each day's lease)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from aiohttp import web

from meetkit.services import retention
from meetkit.web.keys import DATABASE, SETTINGS


async def retention_ctx(app: web.Application) -> AsyncIterator[None]:
    """Run the purge at start and then daily, in the background (needs the database)."""
    task = asyncio.create_task(retention.run_daily(app[DATABASE], app[SETTINGS]), name="meetkit-retention")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
