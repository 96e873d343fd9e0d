"""Several meetkit instances on one database (two real `meetkit serve` processes, on SQLite and PostgreSQL):
what one changes, the other serves at once; background jobs run in one of them only."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

from meetkit.config import Settings
from meetkit.storage import leases
from meetkit.storage.database import database_for
from tests.conftest import RunningServer, start_server, stop_server
from tests.standins.jitsi import StandinJitsi, running


async def status_of(session: aiohttp.ClientSession, url: str, **kwargs: Any) -> int:
    async with session.get(url, **kwargs) as response:
        await response.read()
        return response.status


# How late another process's commit may reach a cached answer. SQLite: the first request once
# CACHE_RECHECK_SECONDS (10 ms) have passed checks the epoch, so a request sent after LAG_SECONDS must see the
# change, however loaded the machine is. PostgreSQL: a listener thread empties the cache when the commit's
# notification arrives, which a loaded machine may wake late; without any of this the cache, which has no
# expiry, would serve the old answer for ever.
LAG_SECONDS = 0.03
PG_WAKE_UP_SECONDS = 0.5


async def seen_by_the_other_instance(env: dict[str, str], check: Callable[[], Any], expected: object) -> None:
    """Assert that `await check()` gives `expected` as soon as the other instance may lag."""
    await asyncio.sleep(LAG_SECONDS)
    if "MEETKIT_DATABASE_URL" not in env:  # SQLite: the very first request after the lag
        assert (value := await check()) == expected, value
        return
    started = time.monotonic()
    while (value := await check()) != expected:
        assert time.monotonic() - started < PG_WAKE_UP_SECONDS, f"still {value!r}"
        await asyncio.sleep(0.002)


async def test_a_link_renewed_on_one_instance_is_dead_on_the_other_at_once(
    cli: Any, env: dict[str, str], tmp_path: Path
) -> None:
    first = start_server(env, tmp_path, name="first")
    second = start_server(env, tmp_path, name="second")
    token = cli("api-token", "add", "t", "--admin", "--json").json()["token"]
    staff = {"Authorization": f"Bearer {token}"}
    pbx = {"Authorization": f"Bearer {env['MEETKIT_PBX_SECRET']}"}
    try:
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{first.url}/api/v1/groups", json={"name": "G"}, headers=staff) as r:
                created = await r.json()
            old_page = created["member_url"].removeprefix(env["MEETKIT_PUBLIC_URL"])
            old_pin = created["pin"]
            for _ in range(3):  # the second instance now holds the page and the PIN answer in its cache
                assert await status_of(session, second.url + old_page) == 200
                assert (
                    await status_of(
                        session, f"{second.url}/jitsi/conference-mapper?id={old_pin}", headers=pbx
                    )
                    == 200
                )

            async with session.post(f"{first.url}/api/v1/groups/{created['id']}/rotate", headers=staff) as r:
                renewed = await r.json()
            await seen_by_the_other_instance(env, lambda: status_of(session, second.url + old_page), 404)
            pin_url = f"{second.url}/jitsi/conference-mapper?id={old_pin}"
            await seen_by_the_other_instance(env, lambda: status_of(session, pin_url, headers=pbx), 404)
            new_page = renewed["member_url"].removeprefix(env["MEETKIT_PUBLIC_URL"])
            assert await status_of(session, second.url + new_page) == 200
            new_pin_url = f"{second.url}/jitsi/conference-mapper?id={renewed['pin']}"
            assert await status_of(session, new_pin_url, headers=pbx) == 200
    finally:
        stop_server(first)
        stop_server(second)


# The census interval of the polling tests: short, so that a lease (three intervals) runs out in seconds.
INTERVAL = 2
# Polls are counted over a little more than two intervals: one poller makes 1 to 3, two would make 4 to 6.
WINDOW = 2.1 * INTERVAL


def census_polls(state: StandinJitsi) -> int:
    return sum(1 for path in state.requests if path == "/room-census")


def polling_env(env: dict[str, str], census_url: str) -> dict[str, str]:
    """The deployment `env` polling the stand-in census every INTERVAL seconds."""
    return {
        **env,
        "MEETKIT_CENSUS_URL": census_url + "/room-census",
        "MEETKIT_CENSUS_INTERVAL": str(INTERVAL),
    }


async def test_the_census_is_polled_by_one_instance_only(
    cli: Any, env: dict[str, str], tmp_path: Path
) -> None:
    """Two instances with MEETKIT_CENSUS_URL every 2 s: one poll per interval, not two."""
    state = StandinJitsi(census={"room_census": []})
    with running(state) as url:
        polling = polling_env(env, url)
        servers: list[RunningServer] = []
        try:
            servers.append(start_server(polling, tmp_path, name="first"))
            servers.append(start_server(polling, tmp_path, name="second"))
            started = census_polls(state)
            await asyncio.sleep(WINDOW)
            polls = census_polls(state) - started
        finally:
            for server in servers:
                stop_server(server)
    assert 1 <= polls <= 3, polls  # two pollers would have made 4 to 6


async def test_a_lease_is_held_by_one_holder_and_taken_over_when_it_runs_out(settings: Settings) -> None:
    """The rule behind run-once jobs, with explicit clocks, on both backends."""
    db = database_for(settings.database_url)
    await db.open()

    async def take(holder: str, now: int) -> bool:
        return await db.write(
            lambda conn: leases.acquire(conn, "job", holder, now, 15), invalidates_cache=False
        )

    try:
        assert await take("a", 1000)
        assert not await take("b", 1001)
        assert await take("a", 1010)  # renewed until 1025
        assert not await take("b", 1024)
        assert await take("b", 1025)  # ran out: taken over
        assert not await take("a", 1026)
        await db.write(lambda conn: leases.release(conn, "job", "b"), invalidates_cache=False)
        assert await take("a", 1027)  # released: at once
    finally:
        await db.close()


async def test_the_census_poller_of_a_killed_instance_is_taken_over(
    cli: Any, env: dict[str, str], tmp_path: Path
) -> None:
    """kill -9 the instance that polls: the other polls once the lease (3 intervals) has run out."""
    state = StandinJitsi(census={"room_census": []})
    with running(state) as url:
        polling = polling_env(env, url)
        first = start_server(polling, tmp_path, name="first")
        second: RunningServer | None = None
        try:
            deadline = time.monotonic() + 10
            while census_polls(state) == 0:  # the first instance holds the lease
                assert time.monotonic() < deadline
                await asyncio.sleep(0.05)
            second = start_server(polling, tmp_path, name="second")
            first.process.send_signal(signal.SIGKILL)
            first.process.wait()
            killed_at, before = time.monotonic(), census_polls(state)
            while census_polls(state) == before:
                assert time.monotonic() - killed_at < 25, "nobody took the census over"
                await asyncio.sleep(0.1)
        finally:
            stop_server(first)
            if second is not None:
                stop_server(second)


async def test_failures_on_one_instance_use_up_the_budget_on_the_other(
    cli: Any, env: dict[str, str], tmp_path: Path
) -> None:
    """Guessing member codes spread over two real instances gets no more guesses than on one."""
    from meetkit.domain.failure_budget import BUDGETS, SecretKind

    allowed = BUDGETS[SecretKind.MEMBER_CODE].limits[0].failures
    first = start_server(env, tmp_path, name="first")
    second = start_server(env, tmp_path, name="second")
    token = cli("api-token", "add", "t", "--admin", "--json").json()["token"]
    try:
        async with aiohttp.ClientSession() as session:
            staff = {"Authorization": f"Bearer {token}"}
            async with session.post(f"{first.url}/api/v1/groups", json={"name": "G"}, headers=staff) as r:
                page = (await r.json())["member_url"].removeprefix(env["MEETKIT_PUBLIC_URL"])
            assert await status_of(session, second.url + page) == 200  # cached there before the guessing
            codes = [f"zzzzz-zzz{n:02d}".replace("0", "2").replace("1", "3") for n in range(allowed)]
            statuses = [
                await status_of(session, f"{(first, second)[n % 2].url}/j/{code}")
                for n, code in enumerate(codes)
            ]
            assert statuses == [404] * allowed
            for server in (first, second):
                await seen_by_the_other_instance(env, lambda s=server: status_of(session, s.url + page), 429)
    finally:
        stop_server(first)
        stop_server(second)


def worker_pids(server: RunningServer) -> list[int]:
    """The processes `meetkit serve --workers N` forked (children of the server process)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == server.process.pid:
                children.append(int(entry.name))
    return children


async def test_workers_share_the_port_and_poll_the_census_once(
    cli: Any, env: dict[str, str], tmp_path: Path
) -> None:
    """`meetkit serve --workers 2`: two processes answer on one port, and a killed one is replaced."""
    state = StandinJitsi(census={"room_census": []})
    with running(state) as url:
        server = start_server(polling_env(env, url), tmp_path, "--workers", "2")
        try:
            deadline = time.monotonic() + 20
            while len(workers := worker_pids(server)) < 2:
                assert time.monotonic() < deadline, workers
                await asyncio.sleep(0.1)
            await asyncio.sleep(1.0)  # both workers listening
            async with aiohttp.ClientSession() as session:
                statuses = await asyncio.gather(
                    *(status_of(session, server.url + "/healthz") for _ in range(40))
                )
            assert set(statuses) == {200}
            started = census_polls(state)
            await asyncio.sleep(WINDOW)
            assert 1 <= census_polls(state) - started <= 3  # one poller, not two

            os.kill(workers[0], signal.SIGKILL)
            deadline = time.monotonic() + 20
            while workers[0] in (now := worker_pids(server)) or len(now) < 2:
                assert time.monotonic() < deadline, now
                await asyncio.sleep(0.1)
            assert server.process.poll() is None
        finally:
            stop_server(server)
    assert worker_pids(server) == []  # stopping the server stops its workers
