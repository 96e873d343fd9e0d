"""Which PostgreSQL driver for meetkit: psycopg 3 (as meetkit uses it) against asyncpg, same run, same server.

Run: .venv/bin/python -m bench.pg_driver [--lookups 5000] [--concurrency 16]

Each driver answers the member page's query shape (one indexed row by a unique text key) `--lookups` times,
one after another and `--concurrency` at once, against a throwaway cluster (tests/postgres_cluster.py).
psycopg runs as meetkit runs it: synchronous connections on reader threads (so that the same storage functions
serve SQLite and PostgreSQL); psycopg's async connection and asyncpg run on the event loop.
"""

from __future__ import annotations

import argparse
import asyncio
import platform
import statistics
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor

import asyncpg
import psycopg

from tests.postgres_cluster import start_cluster

ROWS = 11_000
QUERY = "SELECT id, name, room FROM support_groups WHERE member_code = $1"


async def timed(lookups: int, concurrency: int, one: Callable[[str], Awaitable[object]]) -> float:
    """Lookups per second of `one` over random existing keys, `concurrency` at a time."""
    keys = [f"code{n % ROWS:06d}" for n in range(0, lookups * 7919, 7919)]
    queue = iter(keys)

    async def worker() -> None:
        for key in queue:
            assert await one(key) is not None

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return lookups / (time.perf_counter() - started)


async def measure(url: str, lookups: int, concurrency: int) -> dict[str, list[float]]:
    loop = asyncio.get_running_loop()
    results: dict[str, list[float]] = {}

    pool = ThreadPoolExecutor(4)
    connections: dict[int, psycopg.Connection[tuple[object, ...]]] = {}

    def sync_lookup(key: str) -> object:
        import threading

        conn = connections.get(threading.get_ident())
        if conn is None:
            conn = connections[threading.get_ident()] = psycopg.connect(url, autocommit=True)
        return conn.execute(QUERY.replace("$1", "%s"), (key,)).fetchone()

    async def psycopg_threads(key: str) -> object:
        return await loop.run_in_executor(pool, sync_lookup, key)

    aconn = await psycopg.AsyncConnection.connect(url, autocommit=True)
    lock = asyncio.Lock()  # one async connection serves one query at a time

    async def psycopg_async(key: str) -> object:
        async with lock:
            cursor = await aconn.execute(QUERY.replace("$1", "%s"), (key,))
            return await cursor.fetchone()

    apool = await asyncpg.create_pool(url, min_size=4, max_size=4)

    async def asyncpg_pool(key: str) -> object:
        return await apool.fetchrow(QUERY, key)

    for _ in range(3):  # alternating rounds
        for name, one in (
            ("psycopg 3, sync on 4 reader threads (meetkit)", psycopg_threads),
            ("psycopg 3, AsyncConnection on the loop", psycopg_async),
            ("asyncpg, pool of 4 on the loop", asyncpg_pool),
        ):
            for width in (1, concurrency):
                results.setdefault(f"{name}, {width} at once", []).append(await timed(lookups, width, one))
    await aconn.close()
    await apool.close()
    pool.shutdown()
    for conn in connections.values():
        conn.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lookups", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    cluster = start_cluster()
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute(
                "CREATE TABLE support_groups (id BIGINT PRIMARY KEY, name TEXT, room TEXT, member_code TEXT UNIQUE)"
            )
            with conn.cursor().copy("COPY support_groups FROM STDIN") as copy:
                for n in range(ROWS):
                    copy.write_row((n, f"Gruppe {n}", f"room-{n}", f"code{n:06d}"))
        results = asyncio.run(measure(cluster.url(), args.lookups, args.concurrency))
    finally:
        cluster.stop()
    print(
        f"{platform.node()}: Python {platform.python_version()}, psycopg {psycopg.__version__}, asyncpg "
        f"{asyncpg.__version__}, {ROWS} rows, {args.lookups} look-ups per run, 3 alternating rounds\n"
    )
    print("| driver | look-ups/s (median) | rounds |\n|---|---|---|")
    for name, rates in results.items():
        print(f"| {name} | {statistics.median(rates):,.0f} | {', '.join(f'{r:,.0f}' for r in rates)} |")


if __name__ == "__main__":
    main()
