"""meetkit (and Jitsi stand-ins) served from a background thread, for tests that drive a real browser."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from aiohttp import web

AppFactory = Callable[[], web.Application]


@contextmanager
def served(*apps: tuple[AppFactory, int]) -> Iterator[None]:
    """Serve each (app factory, port) on 127.0.0.1 from one background event loop while the block runs."""
    loop = asyncio.new_event_loop()
    runners: list[web.AppRunner] = []
    ready = threading.Event()

    async def start() -> None:
        for make, port in apps:
            runner = web.AppRunner(make(), access_log=None)  # meetkit's own access log stays on
            await runner.setup()
            await web.TCPSite(runner, "127.0.0.1", port).start()
            runners.append(runner)
        ready.set()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        loop.run_until_complete(start())
        loop.run_forever()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    assert ready.wait(30), "the servers did not start"
    try:
        yield
    finally:

        async def stop() -> None:
            for runner in reversed(runners):
                await runner.cleanup()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
