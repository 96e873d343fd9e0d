"""Retention (issue 16): how long each purge batch holds the writer, with 11,000 groups and two years of meetings.

Seeds `--groups` groups (default 11000) with a weekly meeting each for `--months` months (default 24, about
1.1 million meetings), then runs the purge as `meetkit purge` does (meetkit/services/retention.py) with a
retention of `--retention` months (default 12: a year of meetings goes, the worst first run after lowering
the setting). Reports every batch's write time (the `Database.write` call: queue, transaction, commit), max
and p99, the total time, and checks that the state-wide report of a purged month is the same afterwards.

Run: .venv/bin/python -m bench.retention [--backend sqlite|postgresql|both] [--groups 11000]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import os
import random
import sqlite3
import statistics
import time
from pathlib import Path

import psycopg

from bench.wrkbench import temporary_data_dir
from meetkit.config import Settings
from meetkit.domain.report_exports import report_json
from meetkit.domain.retention import months_back
from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import OPERATOR
from meetkit.services import attendance, retention
from meetkit.storage.database import Database, database_for
from tests.postgres_cluster import start_cluster

CONTACT_POINTS = 35
COLUMNS = "group_id, meeting_date, started_at, ended_at, peak_online, in_room_count, phone_count, sources, updated_at"


def meeting_rows(groups: int, months: int) -> list[tuple[object, ...]]:
    """One meeting a week per group for `months` months back from today: random counts, 90 minutes."""
    rng = random.Random(16)
    today = dt.datetime.now(TIMEZONE).date()
    first = months_back(today, months)
    rows: list[tuple[object, ...]] = []
    for gid in range(1, groups + 1):
        day = first + dt.timedelta(days=gid % 7)
        while day < today:
            start = dt.datetime.combine(day, dt.time(19), TIMEZONE).astimezone(dt.UTC)
            end = start + dt.timedelta(minutes=90)
            stamp = start.strftime("%Y-%m-%dT%H:%M:%SZ")
            in_room = rng.choice((None, None, rng.randrange(1, 9)))
            rows.append(
                (
                    gid,
                    day.isoformat(),
                    stamp,
                    end.strftime("%Y-%m-%dT%H:%M:%SZ"),
                    rng.randrange(0, 12),
                    in_room,
                    rng.choice((None, 1)),
                    5,
                    stamp,
                )
            )
            day += dt.timedelta(days=7)
    return rows


def seed_sqlite(path: Path, groups: int, rows: list[tuple[object, ...]]) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN")
    conn.executemany(
        "INSERT INTO contact_points (slug, name, created_at) VALUES (?, ?, '2024-01-01T00:00:00Z')",
        [(f"kiss-{n}", f"KISS {n}") for n in range(1, CONTACT_POINTS + 1)],
    )
    conn.executemany(
        "INSERT INTO support_groups (contact_point_id, name, room, member_code, leader_token_hash, created_at)"
        " VALUES (?, ?, ?, ?, ?, '2024-01-01T00:00:00Z')",
        [
            (1 + n % CONTACT_POINTS, f"Gruppe {n}", f"room-{n}", f"code{n}", f"hash{n}")
            for n in range(1, groups + 1)
        ],
    )
    conn.executemany(f"INSERT INTO meeting_sessions ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.execute("COMMIT")
    conn.close()


def seed_postgres(url: str, groups: int, rows: list[tuple[object, ...]]) -> None:
    with psycopg.connect(url) as conn:
        with conn.cursor().copy("COPY contact_points (slug, name, created_at) FROM STDIN") as copy:
            for n in range(1, CONTACT_POINTS + 1):
                copy.write_row((f"kiss-{n}", f"KISS {n}", "2024-01-01T00:00:00Z"))
        with conn.cursor().copy(
            "COPY support_groups (contact_point_id, name, room, member_code, leader_token_hash, created_at)"
            " FROM STDIN"
        ) as copy:
            for n in range(1, groups + 1):
                copy.write_row(
                    (
                        1 + n % CONTACT_POINTS,
                        f"Gruppe {n}",
                        f"room-{n}",
                        f"code{n}",
                        f"hash{n}",
                        "2024-01-01T00:00:00Z",
                    )
                )
        with conn.cursor().copy(f"COPY meeting_sessions ({COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        conn.execute("ANALYZE")


async def measure(name: str, url: str, settings: Settings, sample_month: str, batch: int) -> None:
    db: Database = database_for(url)
    await db.open()
    try:
        before = report_json(await attendance.monthly_report(db, OPERATOR, sample_month))
        preview = await retention.preview(db, settings)
        result = await retention.purge(db, settings, batch_rows=batch)
        after = report_json(await attendance.monthly_report(db, OPERATOR, sample_month))
    finally:
        await db.close()
    times = sorted(1000 * s for s in result.batch_seconds)
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    meetings = result.removed[retention.Kind.MEETINGS]
    assert meetings == preview.removed[retention.Kind.MEETINGS]
    assert before == after, "the report of a purged month changed"
    print(
        f"| {name} | {meetings:,} | {len(times):,} | {statistics.median(times):.1f} | {p99:.1f} | "
        f"{times[-1]:.1f} | {result.seconds:.1f} | {meetings / result.seconds:,.0f} |",
        flush=True,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--groups", type=int, default=11000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--retention", type=int, default=12)
    parser.add_argument("--batch", type=int, default=retention.rules.BATCH_ROWS, help="rows per transaction")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = meeting_rows(args.groups, args.months)
    print(
        f"{len(rows):,} meetings of {args.groups:,} groups over {args.months} months "
        f"(made in {time.perf_counter() - started:.1f} s); retention {args.retention} months, "
        f"batches of {args.batch} rows; load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    sample = months_back(dt.datetime.now(TIMEZONE).date(), args.months - 2).isoformat()[:7]
    print("| backend | meetings deleted | batches | p50 ms | p99 ms | max ms | total s | meetings/s |")
    print("|---|---|---|---|---|---|---|---|")
    if args.backend in ("sqlite", "both"):
        folder = Path(temporary_data_dir())
        url = f"sqlite:///{folder / 'meetkit.db'}"
        db = database_for(url)
        await db.open()
        await db.close()
        seed_sqlite(folder / "meetkit.db", args.groups, rows)
        settings = dataclasses.replace(Settings(), database_url=url, retention_months=args.retention)
        await measure("SQLite", url, settings, sample, args.batch)
    if args.backend in ("postgresql", "both"):
        cluster = start_cluster()
        try:
            with psycopg.connect(cluster.url(), autocommit=True) as conn:
                conn.execute("CREATE DATABASE meetkit")
            url = cluster.url("meetkit")
            db = database_for(url)
            await db.open()
            await db.close()
            seed_postgres(url, args.groups, rows)
            settings = dataclasses.replace(Settings(), database_url=url, retention_months=args.retention)
            await measure("PostgreSQL", url, settings, sample, args.batch)
        finally:
            cluster.stop()


if __name__ == "__main__":
    asyncio.run(main())
