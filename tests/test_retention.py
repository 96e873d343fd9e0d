"""Retention: old meetings go while every monthly report stays exactly as it was; old audit entries and
expired links, sessions and sign-in counters go; `meetkit purge` and the daily job in `meetkit serve`."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from meetkit.config import Settings
from meetkit.domain.report_exports import report_json
from meetkit.domain.retention import months_back
from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import OPERATOR
from meetkit.services import attendance, directory, retention
from meetkit.storage.database import Database, database_for
from meetkit.web.app import create_app
from meetkit.web.keys import RETENTION_DELAY
from tests import dbtools
from tests.conftest import ClientFactory, CliResult

TODAY = dt.datetime.now(TIMEZONE).date()


@asynccontextmanager
async def opened(settings: Settings) -> AsyncIterator[Database]:
    db = database_for(settings.database_url)
    await db.open()
    try:
        yield db
    finally:
        await db.close()


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def add_meetings(settings: Settings, group_ids: list[int], first: dt.date, days: int) -> set[str]:
    """Meetings every other day from `first` on: some count, some do not (one person, or too short)."""
    months = set()
    for offset in range(0, days, 2):
        day = first + dt.timedelta(days=offset)
        months.add(day.isoformat()[:7])
        for n, gid in enumerate(group_ids):
            start = dt.datetime.combine(day, dt.time(18, 0), TIMEZONE)
            minutes = 5 if (offset + n) % 7 == 0 else 90
            peak = 1 if (offset + n) % 5 == 0 else 2 + (offset * 3 + n) % 9
            in_room = None if (offset + n) % 3 else (offset + n) % 6
            phone = None if (offset + n) % 4 else 1
            dbtools.execute(
                settings,
                "INSERT INTO meeting_sessions (group_id, meeting_date, started_at, ended_at, peak_online,"
                " in_room_count, phone_count, sources, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 5, ?)",
                gid,
                day.isoformat(),
                iso(start),
                iso(start + dt.timedelta(minutes=minutes)),
                peak,
                in_room,
                phone,
                iso(start),
            )
    return months


async def reports(db: Database, months: set[str], slug: str) -> list[dict[str, object]]:
    """Every view of those months: state-wide, state-wide without small counts, one contact point's."""
    found = []
    for month in sorted(months):
        for contact_point, min_count in ((None, None), (None, 3), (slug, None)):
            found.append(
                report_json(await attendance.monthly_report(db, OPERATOR, month, contact_point, min_count))
            )
    return found


def count(settings: Settings, sql: str, *params: object) -> int:
    return int(next(iter(dbtools.rows(settings, sql, *params)[0].values())))


def seed_expiring(settings: Settings, old: dt.datetime, recent: dt.datetime) -> None:
    """An old and a recent row of every other kind that retention removes."""
    dbtools.execute(
        settings,
        "INSERT INTO staff_accounts (login, role, created_at) VALUES ('a@example.org', 'staff', ?)",
        iso(old),
    )
    account = count(settings, "SELECT id FROM staff_accounts")
    for moment, key in ((old, "old"), (recent, "new")):
        dbtools.execute(
            settings,
            "INSERT INTO audit_log (at, actor, action, target) VALUES (?, 'a@example.org', 'login', NULL)",
            iso(moment - dt.timedelta(days=365)),  # 13 months ago, and 11 months ago
        )
        dbtools.execute(
            settings,
            "INSERT INTO staff_setup_links (token_hash, account_id, expires_at) VALUES (?, ?, ?)",
            key,
            account,
            iso(moment),
        )
        dbtools.execute(
            settings,
            "INSERT INTO devices (contact_point_id, name, pairing_hash, pairing_expires_at, revoked,"
            " created_at) VALUES (1, ?, ?, ?, FALSE, ?)",
            f"Tablet {key}",
            key,
            iso(moment),
            iso(old),
        )
        dbtools.execute(
            settings,
            "INSERT INTO staff_sessions (id_hash, account_id, signed_in, created_at, last_seen_at)"
            " VALUES (?, ?, TRUE, ?, ?)",
            key,
            account,
            iso(moment),
            iso(moment),
        )
        dbtools.execute(
            settings,
            "INSERT INTO staff_login_failures (login_hash, failures, last_failed_at) VALUES (?, 4, ?)",
            key,
            iso(moment),
        )


def wal_size(database: Path) -> int:
    """The size of SQLite's write-ahead log beside `database`."""
    return Path(f"{database}-wal").stat().st_size


async def test_purge_keeps_every_monthly_report_and_removes_what_expired(
    settings: Settings, cli: Callable[..., CliResult]
) -> None:
    now = dt.datetime.now(dt.UTC)
    async with opened(settings) as db:
        await directory.add_contact_point(db, OPERATOR, "KISS Nord")
        await directory.add_contact_point(db, OPERATOR, "KISS Süd")
        ids = [
            (await directory.add_group(db, settings, OPERATOR, f"Gruppe {n}", slug)).group.id
            for n, slug in enumerate(["kiss-nord", "kiss-nord", "kiss-sued", "kiss-nord"])
        ]
    # two old generations (across month ends) and one recent month that stays
    oldest = add_meetings(settings, ids, months_back(TODAY, 41), 50)
    older = add_meetings(settings, ids, months_back(TODAY, 31), 50)
    recent = add_meetings(settings, ids, months_back(TODAY, 2), 20)
    seed_expiring(settings, now - dt.timedelta(days=31), now + dt.timedelta(hours=1))
    account = count(settings, "SELECT id FROM staff_accounts")
    dbtools.execute(  # expired yesterday: kept a week, so that opening it still says "expired"
        settings,
        "INSERT INTO staff_setup_links (token_hash, account_id, expires_at) VALUES ('yesterday', ?, ?)",
        account,
        iso(now - dt.timedelta(days=1)),
    )
    async with opened(settings) as db:
        before = await reports(db, oldest | older | recent, "kiss-sued")
    assert any(r["totals"]["meetings"] for r in before)  # type: ignore[index]
    assert any(r["rules"]["sessions_not_counted"] for r in before)  # type: ignore[index]

    # with a retention of 36 months only the oldest generation goes; the dry run says exactly that
    old_env = {"MEETKIT_RETENTION_MONTHS": "36"}
    cutoff = months_back(TODAY, 36).isoformat()
    expected = count(settings, "SELECT count(*) FROM meeting_sessions WHERE meeting_date < ?", cutoff)
    dry = cli("purge", "--dry-run", "--json", extra_env=old_env)
    assert dry.returncode == 0, dry.stderr
    assert dry.json()["would_remove"] == {
        "meetings": expected,
        "audit_entries": 1,
        "setup_links": 1,
        "pairing_links": 1,
        "staff_sessions": 1,
        "login_failures": 1,
    }
    assert dry.json()["meetings_before"] == cutoff
    assert count(settings, "SELECT count(*) FROM meeting_sessions WHERE meeting_date < ?", cutoff) == expected
    human = cli("purge", "--dry-run", extra_env=old_env)
    assert "Würde gelöscht" in human.stdout and f"Treffen vor dem {cutoff}" in human.stdout
    done = cli("purge", "--json", extra_env=old_env)
    assert done.returncode == 0, done.stderr
    assert done.json()["removed"] == dry.json()["would_remove"]
    assert count(settings, "SELECT count(*) FROM meeting_sessions WHERE meeting_date < ?", cutoff) == 0
    # the default 24 months, in batches of 3 rows: a group's week is split over several transactions
    async with opened(settings) as db:
        result = await retention.purge(db, settings, batch_rows=3)
        assert result.removed[retention.Kind.MEETINGS] > 10
        assert len(result.batch_seconds) > 10
        if settings.database_path is not None:  # the purged rows' old pages are gone from the WAL too
            assert wal_size(settings.database_path) == 0
        after = await reports(db, oldest | older | recent, "kiss-sued")
        assert (await retention.preview(db, settings)).removed == dict.fromkeys(retention.Kind, 0)
    assert after == before
    left = dbtools.rows(settings, "SELECT min(meeting_date) AS first FROM meeting_sessions")[0]["first"]
    assert left >= months_back(TODAY, 24).isoformat()
    assert count(settings, "SELECT count(*) FROM meeting_sessions") > 0  # the recent month stays
    for table in ("staff_sessions", "staff_login_failures"):
        assert count(settings, f"SELECT count(*) FROM {table}") == 1, table
    # of the seeded staff member's entries the recent one stays (making groups above is audited too: recent)
    assert count(settings, "SELECT count(*) FROM audit_log WHERE actor = 'a@example.org'") == 1
    assert dbtools.rows(settings, "SELECT token_hash FROM staff_setup_links ORDER BY token_hash") == [
        {"token_hash": "new"},
        {"token_hash": "yesterday"},
    ]
    assert dbtools.rows(settings, "SELECT pairing_hash FROM devices ORDER BY id") == [
        {"pairing_hash": None},
        {"pairing_hash": "new"},
    ]


@pytest.mark.parametrize("value", ["0", "-3", "zwei", "1201"])
def test_a_retention_that_is_no_number_of_months_is_one_clear_line(
    cli: Callable[..., CliResult], value: str
) -> None:
    for command in (("purge", "--dry-run"), ("serve", "--port", "1")):
        result = cli(*command, extra_env={"MEETKIT_RETENTION_MONTHS": value})
        assert result.returncode == 2
        assert result.stderr == (
            "meetkit: Fehler: MEETKIT_RETENTION_MONTHS muss eine ganze Zahl von 1 bis 1200 sein, "
            f"nicht '{value}'.\n"
        )
    english = cli("purge", extra_env={"MEETKIT_RETENTION_MONTHS": value, "LANG": "en_GB.UTF-8"})
    assert english.stderr.startswith("meetkit: error: MEETKIT_RETENTION_MONTHS must be a whole number")


async def test_the_server_purges_and_only_one_of_two_instances_does(
    aiohttp_client: ClientFactory, settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="meetkit.retention")
    async with opened(settings) as db:
        await directory.add_contact_point(db, OPERATOR, "KISS Nord")
        gid = (await directory.add_group(db, settings, OPERATOR, "Gruppe", "kiss-nord")).group.id
    add_meetings(settings, [gid], months_back(TODAY, 30), 10)
    apps = [create_app(settings), create_app(settings)]
    for app in apps:
        app[RETENTION_DELAY] = 0.0  # `meetkit serve` waits FIRST_RUN_SECONDS
    first = await aiohttp_client(apps[0])
    second = await aiohttp_client(apps[1])
    deadline = time.monotonic() + 20
    while count(settings, "SELECT count(*) FROM meeting_sessions") > 0:
        assert time.monotonic() < deadline, "the old meetings were not purged"
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # time for a second purge, if there were one
    runs = [r for r in caplog.records if r.getMessage().startswith("retention: removed")]
    assert len(runs) == 1
    assert "5 meetings" in runs[0].getMessage()
    leases = dbtools.rows(settings, "SELECT job, expires_at FROM job_leases")
    assert [lease["job"] for lease in leases] == ["retention"]
    assert leases[0]["expires_at"] > time.time() + 23 * 3600
    await first.close()
    await second.close()
