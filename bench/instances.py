"""Several processes and PostgreSQL (issue 14), each figure against a baseline measured in the same run.

Run: .venv/bin/python -m bench.instances [--groups 11000] [--seconds 10] [--rounds 3] [--only NAME ...]

- workers:  member pages spread over all groups, `meetkit serve --workers 2` vs one process (SQLite)
- backends: member pages and the Jitsi conference mapper on PostgreSQL vs SQLite (one process each), every
            request a read-cache miss (bench/serve_uncached.py; with --cache-filling a plain server whose
            cache fills as it serves, the first pass's method), the backends alternating round by round
- cache:    member pages spread over all groups, all cached, while 100 webhooks/s arrive vs none (both
            backends; one server per backend, the two conditions alternating on it)
- webhooks: event_sync webhooks acknowledged per second on PostgreSQL for 30 s (and on SQLite for reference)
- rss:      resident memory per process right after start and after every member page was served once
- hookcost: CPU per webhook at 100/s on an otherwise idle server, per thread (event loop, database threads),
            and the load generator's

Every group has a weekly schedule (every tenth one a cancelled date), as real groups do, so a member page
shows its next dates. wrk (Debian) makes the load on loopback; PostgreSQL is a throwaway cluster
(tests/postgres_cluster.py); webhooks come from bench/webhook_load.py.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import psycopg

from bench.webhook_load import EVENTS_SECRET
from bench.wrkbench import ROOT, TABLE_HEADER, Server, WrkResult, meetkit_server, run_wrk, temporary_data_dir
from meetkit.web.pages import PAGE_CACHE_SLOT_SECONDS
from tests.postgres_cluster import Cluster, start_cluster

PBX_SECRET = "bench-pbx-secret-0123456789abcdef012345678"
ENV = {
    "MEETKIT_PUBLIC_URL": "https://treffen.example.org",
    "JITSI_URL": "https://meet.example.org",
    "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 1234567",
    "MEETKIT_EVENTS_SECRET": EVENTS_SECRET,
    "MEETKIT_PBX_SECRET": PBX_SECRET,
}


def seed(env: dict[str, str], count: int) -> list[tuple[str, str]]:
    """Create `count` groups in one transaction (the CLI would take minutes); return (member code, room)."""
    from meetkit.config import load_settings, with_secret
    from meetkit.domain import ids
    from meetkit.domain.schedules import make_schedule
    from meetkit.domain.scope import OPERATOR
    from meetkit.services.directory import add_contact_point
    from meetkit.storage import dialin, groups, schedules
    from meetkit.storage.database import database_for

    settings = with_secret(load_settings(env, env_file=Path("/nonexistent")))

    async def create() -> list[tuple[str, str]]:
        db = database_for(settings.database_url)
        await db.open()
        try:
            point = await add_contact_point(db, OPERATOR, "KISS Bench")

            def insert(conn: object) -> list[tuple[str, str]]:
                made = []
                for n in range(count):
                    group = groups.insert(
                        conn,  # type: ignore[arg-type]
                        name=f"Gruppe {n}",
                        contact_point_id=point.id,
                        room=ids.new_room_name(),
                        member_code=ids.new_member_code(),
                        leader_token_hash=ids.hash_secret(ids.new_secret_token()),
                        pin=dialin.fresh_pin(conn, settings.pin_digits),  # type: ignore[arg-type]
                    )
                    made.append((group.member_code, group.room))
                    weekly = make_schedule("weekly", n % 7, dt.time(18 + n % 3, 30), 90, place="Raum 2")
                    schedules.put(conn, group.id, weekly)  # type: ignore[arg-type]
                    if n % 10 == 0:
                        later = dt.date.today() + dt.timedelta(days=7)
                        cancelled = later + dt.timedelta(days=(n % 7 - later.weekday()) % 7)
                        schedules.set_exception(conn, group.id, cancelled, "cancelled")  # type: ignore[arg-type]
                return made

            return await db.write(insert)
        finally:
            await db.close()

    return asyncio.run(create())


def paths_lua(paths: list[str]) -> str:
    """A wrk script that asks for a random one of `paths` each time."""
    return (
        "paths = {"
        + ",".join(json.dumps(p) for p in paths)
        + "}\n"
        + ("request = function() return wrk.format('GET', paths[math.random(#paths)]) end\n")
    )


def webhooks_lua(rooms: list[str], start: int) -> str:
    """A wrk script posting occupant/joined webhooks for random rooms, as Prosody's event_sync sends them."""
    bodies = [
        json.dumps(
            {
                "event_name": "muc-occupant-joined",
                "room_name": room,
                "room_jid": f"{room}@muc.meet.jitsi",
                "is_breakout": False,
                "active_occupants_count": 3,
                "occupant": {"occupant_jid": "x@meet.jitsi/y", "joined_at": start},
            }
        )
        for room in rooms
    ]
    return (
        "bodies = {" + ",".join(json.dumps(b) for b in bodies) + "}\n"
        f'wrk.method = "POST"\nwrk.headers["Authorization"] = "Bearer {EVENTS_SECRET}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        "request = function() return wrk.format(nil, '/jitsi/events/occupant/joined', nil, "
        "bodies[math.random(#bodies)]) end\n"
    )


POSTGRES_PIDFILES: list[Path] = []  # the throwaway cluster's, for its CPU time


def postgres_cpu_seconds() -> float:
    """CPU time the throwaway PostgreSQL cluster (postmaster and every backend) has used so far."""
    total = 0.0
    for pidfile in POSTGRES_PIDFILES:
        postmaster = int(pidfile.read_text().split()[0])
        total += Server("", postmaster).cpu_seconds()
    return total


def run_measured(backend: str, label: str, running: Server, lua: str, args: argparse.Namespace) -> WrkResult:
    """run_wrk; on PostgreSQL the label also tells the database server's CPU per request (not in the column)."""
    before = postgres_cpu_seconds()
    result = run_wrk(label, running, "/", lua=lua, **wrk_options(args))
    if backend == "postgresql":
        in_database = (postgres_cpu_seconds() - before) * 1e6 / max(result.requests, 1)
        result = replace(result, label=f"{label} (+{in_database:.0f} µs/req in PostgreSQL)")
    return result


@contextmanager
def installations(groups: int) -> Iterator[dict[str, tuple[dict[str, str], list[tuple[str, str]]]]]:
    """One seeded SQLite and one seeded PostgreSQL installation: backend -> (env, [(code, room)])."""
    cluster: Cluster = start_cluster()
    POSTGRES_PIDFILES.append(cluster.directory / "data" / "postmaster.pid")
    try:
        with psycopg.connect(cluster.url(), autocommit=True) as conn:
            conn.execute("CREATE DATABASE meetkit")
        found = {}
        for backend, extra in (
            ("sqlite", {}),
            ("postgresql", {"MEETKIT_DATABASE_URL": cluster.url("meetkit")}),
        ):
            env = {**ENV, "MEETKIT_DATA_DIR": temporary_data_dir(), **extra}
            started = time.perf_counter()
            found[backend] = (env, seed(env, groups))
            print(f"seeded {groups} groups on {backend} in {time.perf_counter() - started:.1f} s", flush=True)
        yield found
    finally:
        cluster.stop()


def settle(target: Server, seconds: float = 2.0) -> None:
    """Give every worker time to start."""
    time.sleep(seconds)


def measure_workers(env: dict[str, str], paths: str, args: argparse.Namespace) -> list[WrkResult]:
    results = []
    for _ in range(args.rounds):
        for workers in ("1", "2"):
            with meetkit_server(env, "--workers", workers) as running:
                settle(running)
                run_wrk("warm-up", running, "/healthz", seconds=2, connections=8)
                results.append(
                    run_wrk(
                        f"member pages, --workers {workers}", running, "/", lua=paths, **wrk_options(args)
                    )
                )
    return results


def wrk_options(args: argparse.Namespace) -> dict[str, int]:
    return {"seconds": args.seconds, "connections": args.connections, "threads": args.threads}


def webhook_load(url: str, rooms: list[str], rate: int, seconds: float) -> subprocess.Popen[bytes]:
    """A separate process posting `rate` webhooks per second for `seconds` (bench/webhook_load.py)."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as listed:
        json.dump(rooms, listed)
    return subprocess.Popen(
        [sys.executable, "-m", "bench.webhook_load", url, listed.name, str(rate), str(seconds)], cwd=ROOT
    )


def warm(url: str, paths: list[str]) -> None:
    """Ask for every path once (32 at a time), so that a measurement starts with a full read cache."""
    import aiohttp

    async def run() -> None:
        limit = asyncio.Semaphore(32)
        async with aiohttp.ClientSession(url) as session:

            async def one(path: str) -> None:
                async with limit, session.get(path) as response:
                    await response.read()

            await asyncio.gather(*(one(path) for path in paths))

    asyncio.run(run())


def cached_through(
    running: Server, rows: list[tuple[str, str]], seconds: float, warmed_slot: int | None
) -> int:
    """Make sure every member page is cached for the next `seconds` (pages are kept per 15-minute slot, so a
    run across a slot's end would measure misses): wait out a slot about to end, warm a new one, check again
    (warming 11,000 pages takes seconds itself)."""
    while True:
        if PAGE_CACHE_SLOT_SECONDS - time.time() % PAGE_CACHE_SLOT_SECONDS < seconds:
            time.sleep(PAGE_CACHE_SLOT_SECONDS - time.time() % PAGE_CACHE_SLOT_SECONDS + 0.1)
        slot = int(time.time() // PAGE_CACHE_SLOT_SECONDS)
        if slot == warmed_slot:
            return slot
        warm(running.url, [f"/j/{code}" for code, _ in rows])  # every page cached once
        warmed_slot = slot


def main() -> None:
    """Seed both backends, then run the chosen measurements and print Markdown tables."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=11_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--cache-filling", action="store_true", help="backends: a plain server whose cache fills as it serves"
    )
    parser.add_argument(
        "--only", nargs="*", default=["workers", "backends", "cache", "webhooks", "rss", "hookcost"]
    )
    args = parser.parse_args()
    print(f"{platform.node()}: {platform.machine()}, Python {platform.python_version()}, args {vars(args)}")
    with installations(args.groups) as found:
        pages = {b: paths_lua([f"/j/{code}" for code, _ in rows]) for b, (_, rows) in found.items()}
        if "workers" in args.only:
            section("member pages over all groups: --workers 2 vs 1 (SQLite)")
            results = measure_workers(found["sqlite"][0], pages["sqlite"], args)
            report_pairs(results, "--workers 2 / --workers 1")
        if "backends" in args.only:
            kind = (
                "the cache filling as it serves" if args.cache_filling else "every request a read-cache miss"
            )
            section(f"PostgreSQL vs SQLite, one process each, {kind}")
            targets = {
                "member pages": pages,
                "conference mapper": {
                    b: paths_lua(
                        [f"/jitsi/conference-mapper?conference={room}@muc.meet.jitsi" for _, room in rows]
                    )
                    for b, (_, rows) in found.items()
                },
            }
            for label, lua in targets.items():
                results = []
                for round_ in range(args.rounds):
                    order = ("sqlite", "postgresql") if round_ % 2 == 0 else ("postgresql", "sqlite")
                    measured = {}
                    for backend in order:
                        module = "meetkit" if args.cache_filling else "bench.serve_uncached"
                        with meetkit_server(found[backend][0], module=module) as running:
                            run_wrk("warm-up", running, "/healthz", seconds=2, connections=8)
                            measured[backend] = run_measured(
                                backend, f"{label}, {backend}", running, lua[backend], args
                            )
                    results += [measured["sqlite"], measured["postgresql"]]
                report_pairs(results, f"{label} (misses): PostgreSQL / SQLite")
        if "cache" in args.only:
            section("member pages over all groups (all cached) while 100 webhooks/s arrive vs none")
            for backend in ("sqlite", "postgresql"):
                env, rows = found[backend]
                rooms = [room for _, room in rows]
                results = []
                with meetkit_server(env) as running:
                    warmed_slot = None
                    for round_ in range(args.rounds):
                        measured = {}
                        # ABBA: the load other processes put on the machine drifts; alternate who goes first
                        for with_webhooks in (False, True) if round_ % 2 == 0 else (True, False):
                            warmed_slot = cached_through(running, rows, args.seconds + 3, warmed_slot)
                            label = f"{backend}, {'100 webhooks/s' if with_webhooks else 'no webhooks'}"
                            load = None
                            if with_webhooks:
                                load = webhook_load(running.url, rooms, 100, args.seconds + 1.5)
                                time.sleep(0.5)
                            measured[with_webhooks] = run_measured(
                                backend, label, running, pages[backend], args
                            )
                            if load is not None:
                                load.wait()
                        results += [measured[False], measured[True]]
                report_pairs(results, f"{backend}: with webhooks / without")
        if "webhooks" in args.only:
            section("webhooks acknowledged per second, 30 s")
            for backend in ("sqlite", "postgresql"):
                env, rows = found[backend]
                with meetkit_server(env) as running:
                    lua = webhooks_lua([room for _, room in rows[:2000]], int(time.time()))
                    result = run_wrk(
                        f"occupant/joined webhooks, {backend}",
                        running,
                        "/",
                        lua=lua,
                        seconds=30,
                        connections=64,
                    )
                print(TABLE_HEADER)
                print(result.row())
        if "hookcost" in args.only:
            section(f"CPU µs per webhook at 100/s, idle server (load average {os.getloadavg()[0]:.1f})")
            print("| backend | server threads (event loop first) | sender |\n|---|---|---|")
            for backend in ("sqlite", "postgresql"):
                env, rows = found[backend]
                measure_webhook_cost(backend, env, [room for _, room in rows])
        if "rss" in args.only:
            section("resident memory per process (MiB)")
            for backend in ("sqlite", "postgresql"):
                env, rows = found[backend]
                for workers in ("1", "2"):
                    with meetkit_server(env, "--workers", workers) as running:
                        settle(running, 3)
                        idle = running.rss_mib()
                        run_wrk("fill", running, "/", lua=pages[backend], seconds=5, connections=16)
                        served = running.rss_mib()
                    print(
                        f"| {backend}, --workers {workers} | idle {', '.join(f'{m:.0f}' for m in idle)} "
                        f"| after serving pages {', '.join(f'{m:.0f}' for m in served)} |"
                    )


def thread_cpu_seconds(pid: int) -> dict[int, float]:
    """CPU time of each thread of a process, exact to the nanosecond (/proc/PID/task/TID/schedstat)."""
    found = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            found[int(task.name)] = int((task / "schedstat").read_text().split()[0]) / 1e9
        except OSError:
            continue
    return found


def measure_webhook_cost(backend: str, env: dict[str, str], rooms: list[str], rate: int = 100) -> None:
    """Print CPU µs per webhook of each busy server thread (the first is the event loop) and the sender's."""
    seconds = 10
    with meetkit_server(env) as running:
        time.sleep(1)
        before, in_database = thread_cpu_seconds(running.pid), postgres_cpu_seconds()
        load = webhook_load(running.url, rooms, rate, seconds)
        time.sleep(seconds - 0.5)
        sender = Server("", load.pid).cpu_seconds()
        load.wait()
        time.sleep(0.5)
        after, in_database = thread_cpu_seconds(running.pid), postgres_cpu_seconds() - in_database
    count = rate * seconds
    threads = [
        f"{(after[tid] - before.get(tid, 0.0)) * 1e6 / count:.0f}"
        for tid in sorted(after)
        if after[tid] - before.get(tid, 0.0) > 0.005
    ]
    database = f", PostgreSQL {in_database * 1e6 / count:.0f}" if backend == "postgresql" else ""
    print(f"| {backend} | {' / '.join(threads)}{database} | {sender * 1e6 / count:.0f} |", flush=True)


def section(title: str) -> None:
    load = " ".join(f"{figure:.2f}" for figure in os.getloadavg())
    print(f"\n### {title}\n\n(load average {load} at the start)\n", flush=True)


def report_pairs(results: list[WrkResult], what: str) -> None:
    """Print (baseline, candidate) pairs, the median req/s ratio with its spread, and the median CPU ratio."""
    print(TABLE_HEADER)
    ratios, cpu_ratios = [], []
    for baseline, candidate in zip(results[::2], results[1::2], strict=True):
        print(baseline.row())
        print(candidate.row(baseline))
        ratios.append(candidate.requests_per_second / baseline.requests_per_second)
        cpu_ratios.append(baseline.server_cpu_us_per_request / candidate.server_cpu_us_per_request)
    print(
        f"\nmedian req/s ratio {what}: {statistics.median(ratios):.2f} (spread {min(ratios):.2f}-"
        f"{max(ratios):.2f}; rounds {[round(r, 2) for r in ratios]}); median server CPU ratio "
        f"(baseline/this) {statistics.median(cpu_ratios):.2f}"
    )
    if any(r.non_2xx for r in results):
        print("WARNING: non-2xx answers during the run")


if __name__ == "__main__":
    main()
