"""The staff group list with 11,000 groups in an admin's view (issue 11): server time per page.

Seeds 11,000 groups over 35 contact points (a third with a weekly schedule, a third with a counted meeting)
through meetkit's own services, then times `GET /staff/groups` as a signed-in admin: the first page, a page
in the middle, the last page, a search and one contact point's list. Each request runs through the whole
app (middlewares, session, scope, queries, template) in this process; the time is perf_counter around the
request handler (an aiohttp middleware placed first), so client and loopback costs are left out; the steps
inside it (the guard's session look-up, the list's database read, the contact points' read, rendering) are
timed the same way. On PostgreSQL the pages are measured twice: right after seeding, before the planner has
statistics (as after a bulk import or `meetkit db copy`, until autovacuum runs), and after VACUUM ANALYZE.

Run: .venv/bin/python -m bench.staff_groups [--groups 11000] [--repeat 30] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import contextvars
import datetime as dt
import os
import platform
import re
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import psycopg
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.typedefs import Handler

from meetkit.config import Settings, load_settings, with_secret
from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import accounts, attendance, directory, group_list, schedules
from meetkit.services.passwords import PasswordHasher
from meetkit.services.signin import SignInService
from meetkit.storage.database import Database, database_for
from meetkit.web import staff_groups, staff_session
from meetkit.web.app import create_app
from tests.postgres_cluster import start_cluster

T = TypeVar("T")

PASSWORD = "Kaffeetasse Fahrrad Mondschein"
TOPICS = ("Angehörige Sucht", "Depression", "Trauer", "Krebs", "Angst und Panik", "Long Covid", "ADHS")
CASES = {
    "first page": "/staff/groups",
    "middle page (110 of 220)": "/staff/groups?page=110",
    "last page": "/staff/groups?page=9999",
    "search 'trauer' (1,571 found)": "/staff/groups?q=trauer",
    "one contact point (315 groups)": "/staff/groups?contact_point=kiss-07",
}


async def _seed(db: Database, settings_groups: int, settings: Settings) -> None:
    points = 35
    for number in range(points):
        await directory.add_contact_point(db, OPERATOR, f"KISS {number:02d}", slug=f"kiss-{number:02d}")
    today = local_today()
    for number in range(settings_groups):
        name = f"{TOPICS[number % len(TOPICS)]} {number:05d}"
        issued = await directory.add_group(db, settings, OPERATOR, name, f"kiss-{number % points:02d}")
        if number % 3 == 0:
            await schedules.set_schedule(
                db,
                OPERATOR,
                issued.group.id,
                frequency="weekly",
                weekday=number % 7,
                start=dt.time(19),
                duration_minutes=90,
            )
        if number % 3 == 1:
            await attendance.record_headcount(
                db, issued.group.id, today - dt.timedelta(days=number % 20), 5, 1, "staff"
            )


STEPS = ("session", "list read", "contact points", "render")
Samples = dict[str, list[float]]
_request_steps: contextvars.ContextVar[Samples | None] = contextvars.ContextVar("steps", default=None)


def _timing_middleware(samples: dict[str, Samples]) -> object:
    @web.middleware
    async def timed(request: web.Request, handler: Handler) -> web.StreamResponse:
        steps: Samples = {}
        _request_steps.set(steps)  # this request's task sees it, and nothing else does
        started = time.perf_counter()
        response = await handler(request)
        elapsed = (time.perf_counter() - started) * 1000
        mine = samples.setdefault(request.path_qs, {})
        mine.setdefault("total", []).append(elapsed)
        for step in STEPS:
            mine.setdefault(step, []).append(sum(steps.get(step, [])))
        return response

    return timed


def _record(step: str, started: float) -> None:
    steps = _request_steps.get()
    if steps is not None:
        steps.setdefault(step, []).append((time.perf_counter() - started) * 1000)


def _timed(step: str, function: Callable[..., Awaitable[T]]) -> Callable[..., Awaitable[T]]:
    async def timed(*args: Any, **kwargs: Any) -> T:
        started = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            _record(step, started)

    return timed


def _time_steps() -> None:
    """Wrap the steps of a list request in perf_counter (the bench's process only)."""
    render = staff_session.render

    def timed_render(*args: Any, **kwargs: Any) -> web.Response:
        started = time.perf_counter()
        try:
            return render(*args, **kwargs)
        finally:
            _record("render", started)

    for owner, name, step in (
        (SignInService, "current", "session"),
        (group_list, "list_page", "list read"),
        (accounts, "visible_contact_points", "contact points"),
    ):
        setattr(owner, name, _timed(step, getattr(owner, name)))
    setattr(staff_groups, "render", timed_render)  # noqa: B010 - the page module's own name for it


async def _seed_database(settings: Settings, groups: int) -> None:
    db = database_for(settings.database_url)
    await db.open()
    started = time.perf_counter()
    await _seed(db, groups, settings)
    _, link = await accounts.add_account(
        db, settings, OPERATOR, "admin", None, admin=True, contact_point_slugs=[]
    )
    hasher = PasswordHasher()
    await accounts.complete_setup(db, hasher, link.url.rsplit("/", 1)[1], PASSWORD, PASSWORD)
    hasher.close()
    await db.close()
    print(f"  seeded {groups} groups in {time.perf_counter() - started:.0f} s")


async def _measure(settings: Settings, repeat: int) -> dict[str, Samples]:
    samples: dict[str, Samples] = {}
    app = create_app(settings)
    app.middlewares.insert(0, _timing_middleware(samples))  # type: ignore[arg-type]
    async with TestClient(TestServer(app)) as client:
        page = await client.get("/staff/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', await page.text())
        assert token
        signed = await client.post(
            "/staff/login",
            data={"csrf_token": token.group(1), "login": "admin", "password": PASSWORD},
            allow_redirects=False,
        )
        assert signed.status == 303, await signed.text()
        for path in CASES.values():
            for _ in range(repeat + 3):
                response = await client.get(path)
                body = await response.text()
                assert response.status == 200 and "staff-group-name" in body, (path, response.status)
    # the first three of each page warm caches up
    return {label: {k: v[3:] for k, v in samples[path].items()} for label, path in CASES.items()}


def _report(title: str, results: dict[str, Samples]) -> None:
    steps = " | ".join(f"{step} ms" for step in STEPS)
    print(f"\n{title} (steps: medians)\n\n| page | requests | p50 ms | p95 ms | max ms | {steps} |")
    print("|---" * (5 + len(STEPS)) + "|")
    for label, values in results.items():
        total = values["total"]
        p95 = statistics.quantiles(total, n=20)[18]
        medians = " | ".join(f"{statistics.median(values[step]):.2f}" for step in STEPS)
        print(
            f"| {label} | {len(total)} | {statistics.median(total):.1f} | {p95:.1f} | {max(total):.1f}"
            f" | {medians} |"
        )


def _planner_statistics(url: str) -> str:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT COALESCE(last_analyze, last_autoanalyze) IS NOT NULL,"
            " COALESCE(last_vacuum, last_autovacuum) IS NOT NULL"
            " FROM pg_stat_user_tables WHERE relname = 'support_groups'"
        ).fetchone()
    analyzed, vacuumed = row if row else (False, False)
    return f"support_groups analyzed: {'yes' if analyzed else 'no'}, vacuumed: {'yes' if vacuumed else 'no'}"


def main() -> None:
    """Seed and measure on the chosen backends."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=11_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, Python {platform.python_version()}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    _time_steps()
    base = {"MEETKIT_PUBLIC_URL": "http://127.0.0.1:8080", "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 1234567"}
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            print("sqlite:")
            settings = _settings({**base, "MEETKIT_DATA_DIR": tmp})
            asyncio.run(_seed_database(settings, args.groups))
            _report("SQLite", asyncio.run(_measure(settings, args.repeat)))
    if args.backend in ("postgresql", "both"):
        cluster = start_cluster()
        try:
            with psycopg.connect(cluster.url(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE meetkit")
            url = cluster.url("meetkit")
            with tempfile.TemporaryDirectory() as tmp:
                settings = _settings({**base, "MEETKIT_DATA_DIR": tmp, "MEETKIT_DATABASE_URL": url})
                print("postgresql:")
                asyncio.run(_seed_database(settings, args.groups))
                before = _planner_statistics(url)
                fresh = asyncio.run(_measure(settings, args.repeat))
                _report(
                    f"PostgreSQL, right after seeding ({before}; after: {_planner_statistics(url)})", fresh
                )
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute("VACUUM ANALYZE")
                _report("PostgreSQL, after VACUUM ANALYZE", asyncio.run(_measure(settings, args.repeat)))
        finally:
            cluster.stop()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _settings(env: dict[str, str]) -> Settings:
    return with_secret(load_settings(env, env_file=Path(env["MEETKIT_DATA_DIR"]) / "no.env"), create=True)


if __name__ == "__main__":
    main()
