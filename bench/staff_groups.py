"""The staff group list with 11,000 groups in an admin's view (issue 11): server time per page.

Seeds 11,000 groups over 35 contact points (a third with a weekly schedule, a third with a counted meeting)
through meetkit's own services, then times `GET /staff/groups` as a signed-in admin: the first page, a page
in the middle, the last page, a search and one contact point's list. Each request runs through the whole
app (middlewares, session, scope, queries, template) in this process; the time is perf_counter around the
request handler (an aiohttp middleware placed first), so client and loopback costs are left out.

Run: .venv/bin/python -m bench.staff_groups [--groups 11000] [--repeat 30] [--backend sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import platform
import re
import statistics
import tempfile
import time
from pathlib import Path

import psycopg
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from aiohttp.typedefs import Handler

from meetkit.config import load_settings, with_secret
from meetkit.domain.attendance import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import accounts, attendance, directory, schedules
from meetkit.services.passwords import PasswordHasher
from meetkit.storage.database import Database, database_for
from meetkit.web.app import create_app
from tests.postgres_cluster import start_cluster

PASSWORD = "Kaffeetasse Fahrrad Mondschein"
TOPICS = ("Angehörige Sucht", "Depression", "Trauer", "Krebs", "Angst und Panik", "Long Covid", "ADHS")
CASES = {
    "first page": "/staff/groups",
    "middle page (110 of 220)": "/staff/groups?page=110",
    "last page": "/staff/groups?page=9999",
    "search 'trauer' (1,571 found)": "/staff/groups?q=trauer",
    "one contact point (315 groups)": "/staff/groups?contact_point=kiss-07",
}


async def _seed(db: Database, settings_groups: int, settings: object) -> None:
    points = 35
    for number in range(points):
        await directory.add_contact_point(db, OPERATOR, f"KISS {number:02d}", slug=f"kiss-{number:02d}")
    today = local_today()
    for number in range(settings_groups):
        name = f"{TOPICS[number % len(TOPICS)]} {number:05d}"
        issued = await directory.add_group(db, settings, OPERATOR, name, f"kiss-{number % points:02d}")  # type: ignore[arg-type]
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


def _timing_middleware(samples: dict[str, list[float]]) -> object:
    @web.middleware
    async def timed(request: web.Request, handler: Handler) -> web.StreamResponse:
        started = time.perf_counter()
        response = await handler(request)
        samples.setdefault(request.path_qs, []).append((time.perf_counter() - started) * 1000)
        return response

    return timed


async def _measure(env: dict[str, str], groups: int, repeat: int) -> dict[str, list[float]]:
    settings = with_secret(load_settings(env, env_file=Path(env["MEETKIT_DATA_DIR"]) / "no.env"), create=True)
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

    samples: dict[str, list[float]] = {}
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
    return {label: samples[path][3:] for label, path in CASES.items()}  # the first three warm caches up


def _report(backend: str, results: dict[str, list[float]]) -> None:
    print(f"\n{backend}:\n\n| page | requests | p50 ms | p95 ms | max ms |\n|---|---|---|---|---|")
    for label, values in results.items():
        p95 = statistics.quantiles(values, n=20)[18]
        print(
            f"| {label} | {len(values)} | {statistics.median(values):.1f} | {p95:.1f} | {max(values):.1f} |"
        )


def main() -> None:
    """Seed and measure on the chosen backends."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--groups", type=int, default=11_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {platform.machine()}, Python {platform.python_version()}")
    base = {"MEETKIT_PUBLIC_URL": "http://127.0.0.1:8080", "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 1234567"}
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory() as tmp:
            print("sqlite:")
            _report(
                "SQLite", asyncio.run(_measure({**base, "MEETKIT_DATA_DIR": tmp}, args.groups, args.repeat))
            )
    if args.backend in ("postgresql", "both"):
        cluster = start_cluster()
        try:
            with psycopg.connect(cluster.url(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE meetkit")
            with tempfile.TemporaryDirectory() as tmp:
                env = {**base, "MEETKIT_DATA_DIR": tmp, "MEETKIT_DATABASE_URL": cluster.url("meetkit")}
                print("postgresql:")
                _report("PostgreSQL", asyncio.run(_measure(env, args.groups, args.repeat)))
        finally:
            cluster.stop()


if __name__ == "__main__":
    main()
