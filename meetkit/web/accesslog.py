"""An access log that names the route, never the path: no IPs, user agents, referrers, queries or secrets."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from typing import TextIO

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

FLUSH_SECONDS = 0.5
FLUSH_LINES = 256


class AccessLogWriter:
    """Buffers access lines and writes them in batches: a `logging` call per request would cost
    about as much CPU as serving the request. Lines look like the other log lines."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lines: list[str] = []
        self._last_flush = time.monotonic()
        self._second = -1
        self._stamp = ""

    def write(self, message: str) -> None:
        """Buffer one line; flush when the buffer is large or old."""
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second = second
            self._stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(second))
        self._lines.append(f"{self._stamp},{int(now % 1 * 1000):03d} INFO meetkit.access: {message}\n")
        if len(self._lines) >= FLUSH_LINES or time.monotonic() - self._last_flush >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        """Write out every buffered line."""
        self._last_flush = time.monotonic()
        if self._lines:
            stream = self._stream or sys.stderr
            stream.write("".join(self._lines))
            stream.flush()
            self._lines.clear()


ACCESS_LOG = AccessLogWriter()


class PrivacyAccessLogger(AbstractAccessLogger):
    """Logs `METHOD route_name status duration` and nothing that identifies a person or a link."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        """Write one line for a finished request; `- rejected` for one aiohttp refused before routing."""
        try:
            route = request.match_info.route.name or "unmatched"  # type: ignore[attr-defined]
            method = request.method
        except (AttributeError, AssertionError):  # refused unparsed: no route, and its method is made up
            route, method = "rejected", "-"
        ACCESS_LOG.write(f"{method} {route} {response.status} {time * 1000:.1f}ms")


async def access_log_flusher(app: web.Application) -> AsyncIterator[None]:
    """Flush buffered access lines every FLUSH_SECONDS while the app runs, and once at shutdown."""

    async def flush_periodically() -> None:
        while True:
            await asyncio.sleep(FLUSH_SECONDS)
            ACCESS_LOG.flush()

    task = asyncio.create_task(flush_periodically())
    yield
    task.cancel()
    ACCESS_LOG.flush()
