"""`meetkit serve --workers N`: N forked processes on one port (SO_REUSEPORT), restarted when one dies."""

from __future__ import annotations

import logging
import multiprocessing
import signal
import time
from collections.abc import Callable
from multiprocessing.process import BaseProcess
from types import FrameType

log = logging.getLogger("meetkit")

MAX_WORKERS = 64
RESTART_PAUSE_SECONDS = 1.0


def supervise(count: int, work: Callable[[], None]) -> int:
    """Run `work` in `count` child processes until SIGINT/SIGTERM; replace a child that dies."""
    context = multiprocessing.get_context("fork")  # before any loop, thread or connection exists
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}

    def start(number: int) -> BaseProcess:
        process = context.Process(target=_child, args=(work, previous), name=f"meetkit-worker-{number}")
        process.start()
        return process

    workers = [start(n) for n in range(count)]
    log.info("%d worker processes share the port", count)
    while not stopping:
        time.sleep(0.2)
        for number, process in enumerate(workers):
            if not process.is_alive() and not stopping:
                log.warning(
                    "worker %d stopped (exit status %s); starting a new one", number, process.exitcode
                )
                time.sleep(RESTART_PAUSE_SECONDS)
                workers[number] = start(number)
    for process in workers:
        if process.is_alive() and process.pid is not None:
            process.terminate()  # SIGTERM: aiohttp finishes open requests and runs cleanup_ctx
    for process in workers:
        process.join(timeout=30)
    return 0


def _child(work: Callable[[], None], handlers: dict[int, object]) -> None:
    for sig, handler in handlers.items():
        signal.signal(sig, handler)  # type: ignore[arg-type]
    work()
