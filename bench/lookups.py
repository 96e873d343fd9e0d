"""CPU per member-page and conference-mapper look-up on a read-cache miss, in one process, both backends.

Run: .venv/bin/python -m bench.lookups [--groups 11000] [--lookups 4000] [--rounds 3]

Compares the look-up as it was (one `Database.read` per look-up; the member page took two: the group,
then its schedule) with `Database.read_one` (PostgreSQL: look-ups begun together share one read), 1 and 64
look-ups at a time. CPU is this process's (every thread: the loop, PostgreSQL's reader threads) plus, on
PostgreSQL, the database server's; CPU time is much less disturbed by other load on the machine than
wall-clock rates. Nothing is rendered: the page's template costs the same on both backends.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.instances import installations, postgres_cpu_seconds
from meetkit.config import load_settings, with_secret
from meetkit.services import member_pages
from meetkit.services.directory import GroupView
from meetkit.storage import groups, schedules
from meetkit.storage.database import Database, database_for

LookUp = Callable[[Database, str], Awaitable[object]]


async def page_before(db: Database, code: str) -> object:
    """The member page's look-up before read_one: two reads, each a thread hop on PostgreSQL."""
    found = await db.read(lambda conn: groups.with_contact_point_by_member_code(conn, code))
    assert found is not None
    view = GroupView(*found)
    return await db.read(lambda conn: schedules.get(conn, view.group.id))


async def page_now(db: Database, code: str) -> object:
    """The member page's look-up now."""
    return await member_pages.member_page(db, code)


async def mapper_before(db: Database, room: str) -> object:
    """The conference mapper's look-up before read_one."""
    return await db.read(lambda conn: groups.by_rooms(conn, [room]).get(room))


async def mapper_now(db: Database, room: str) -> object:
    """The conference mapper's look-up now."""
    return await db.read_one(groups.by_rooms, room)


async def cpu_per_lookup(db: Database, look_up: LookUp, keys: list[str], at_once: int) -> float:
    """Microseconds of CPU (this process and PostgreSQL) per look-up, `at_once` look-ups at a time."""
    started, in_database = time.process_time(), postgres_cpu_seconds()
    for first in range(0, len(keys), at_once):
        await asyncio.gather(*(look_up(db, key) for key in keys[first : first + at_once]))
    used = time.process_time() - started + postgres_cpu_seconds() - in_database
    return used * 1e6 / len(keys)


async def measure(env: dict[str, str], rows: list[tuple[str, str]], args: argparse.Namespace) -> list[str]:
    settings = with_secret(load_settings(env, env_file=Path("/nonexistent")))
    db = database_for(settings.database_url)
    await db.open()
    lines = []
    try:
        codes, rooms = [code for code, _ in rows], [room for _, room in rows]
        for what, keys, before, now in (
            ("member page", codes, page_before, page_now),
            ("conference mapper", rooms, mapper_before, mapper_now),
        ):
            for at_once in (1, 64):
                figures: dict[str, list[float]] = {"before": [], "now": []}
                for _ in range(args.rounds):
                    for name, look_up in (("before", before), ("now", now)):
                        sample = random.sample(keys, args.lookups)
                        figures[name].append(await cpu_per_lookup(db, look_up, sample, at_once))
                b, n = statistics.median(figures["before"]), statistics.median(figures["now"])
                lines.append(f"| {what}, {at_once} at a time | {b:.0f} | {n:.0f} | {b / n:.1f}x |")
    finally:
        await db.close()
    return lines


def main() -> None:
    """Seed both backends and print a Markdown table per backend."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=11_000)
    parser.add_argument("--lookups", type=int, default=4_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with installations(args.groups) as found:
        for backend, (env, rows) in found.items():
            print(f"\n{backend}: CPU µs per look-up (median of {args.rounds} rounds)\n")
            print("| look-up | before (a read each) | now (read_one) | gain |\n|---|---|---|---|")
            print("\n".join(asyncio.run(measure(env, rows, args))), flush=True)


if __name__ == "__main__":
    main()
