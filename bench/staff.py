"""Staff sign-in beside the member page, one `meetkit serve` process (issue 10).

1. The member page's latency (a steady probe of 8 concurrent clients) alone, then while 64 clients sign in
   over and over at once (argon2id runs on one worker thread, so the event loop keeps a core).
2. Server CPU per request (wrk, 64 connections): the member page vs a signed-in staff page (`/staff/`).

Run: .venv/bin/python -m bench.staff [--seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import re
import statistics
import time

import aiohttp

from bench.wrkbench import TABLE_HEADER, Server, meetkit, meetkit_server, run_wrk, temporary_data_dir

ENV = {"MEETKIT_PUBLIC_URL": "http://127.0.0.1:8080", "JITSI_URL": "https://meet.example.org"}
PASSWORD = "Kaffeetasse Fahrrad Mondschein"
SIGNERS = 64
PROBES = 8


async def _form(session: aiohttp.ClientSession, url: str) -> str:
    async with session.get(url) as response:
        found = re.search(r'name="csrf_token" value="([^"]+)"', await response.text())
    assert found, url
    return found.group(1)


async def _set_password(base: str, setup_url: str) -> None:
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        token = await _form(session, setup_url)
        data = {"csrf_token": token, "password": PASSWORD, "password_repeat": PASSWORD}
        async with session.post(setup_url, data=data, allow_redirects=False) as response:
            assert response.status == 303, await response.text()


async def _sign_in(base: str) -> tuple[aiohttp.ClientSession, dict[str, str]]:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    token = await _form(session, base + "/staff/login")
    return session, {"csrf_token": token, "login": "admin", "password": PASSWORD}


async def _signers(base: str, stop: asyncio.Event, done: list[float]) -> None:
    async def one() -> None:
        session, form = await _sign_in(base)
        async with session:
            while not stop.is_set():
                started = time.perf_counter()
                async with session.post(base + "/staff/login", data=form, allow_redirects=False) as response:
                    assert response.status == 303, response.status
                done.append(time.perf_counter() - started)

    await asyncio.gather(*(one() for _ in range(SIGNERS)))


async def _probe(base: str, path: str, seconds: float) -> list[float]:
    latencies: list[float] = []
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as session:

        async def loop() -> None:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                async with session.get(base + path) as response:
                    await response.read()
                    assert response.status == 200
                latencies.append((time.perf_counter() - started) * 1000)

        await asyncio.gather(*(loop() for _ in range(PROBES)))
    return latencies


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


async def _latency(server: Server, member_path: str, seconds: float) -> None:
    alone = await _probe(server.url, member_path, seconds)
    stop, done = asyncio.Event(), []
    signing = asyncio.create_task(_signers(server.url, stop, done))
    await asyncio.sleep(1)  # all 64 are signing in
    loaded = await _probe(server.url, member_path, seconds)
    stop.set()
    await signing
    print("| member page | requests | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|")
    for label, values in (("alone", alone), (f"while {SIGNERS} clients sign in", loaded)):
        print(
            f"| {label} | {len(values)} | {_p(values, 50):.2f} | {_p(values, 99):.2f} | {max(values):.2f} |"
        )
    rate = len(done) / (seconds + 1)
    print(f"\nsign-ins completed: {len(done)} ({rate:.1f}/s), each p50 {_p(done, 50) * 1000:.0f} ms")


def main() -> None:
    """Seed, then measure both parts against one server."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    env = {**ENV, "MEETKIT_DATA_DIR": temporary_data_dir()}
    meetkit(env, "contact-point", "add", "KISS Bench")
    group = json.loads(meetkit(env, "group", "add", "Angehörige", "--contact-point", "kiss-bench", "--json"))
    member_path = group["member_url"].removeprefix(ENV["MEETKIT_PUBLIC_URL"])
    setup_url = json.loads(meetkit(env, "user", "add", "admin", "--admin", "--json"))["setup_url"]
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, Python {platform.python_version()}\n")
    with meetkit_server(env) as server:
        setup_path = setup_url.removeprefix(ENV["MEETKIT_PUBLIC_URL"])
        asyncio.run(_set_password(server.url, server.url + setup_path))
        asyncio.run(_latency(server, member_path, args.seconds))

        async def cookie() -> str:
            session, form = await _sign_in(server.url)
            async with (
                session,
                session.post(server.url + "/staff/login", data=form, allow_redirects=False) as r,
            ):
                return str(r.cookies["meetkit_staff"].value)

        lua = f'wrk.headers["Cookie"] = "meetkit_staff={asyncio.run(cookie())}"'
        member = run_wrk("member page /j/{code}", server, member_path, seconds=args.seconds)
        staff = run_wrk("signed-in staff page /staff/", server, "/staff/", seconds=args.seconds, lua=lua)
    print("\n" + TABLE_HEADER)
    print(member.row())
    print(staff.row(member))
    ratio = staff.server_cpu_us_per_request / member.server_cpu_us_per_request
    print(f"\nstaff page / member page server CPU per request: {ratio:.2f} (target: at most 2)")


if __name__ == "__main__":
    main()
