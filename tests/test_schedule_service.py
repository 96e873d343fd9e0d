"""Schedules through services and storage: rule changes, cancel/add rules, next dates, the feed."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from meetkit.config import Settings
from meetkit.domain import schedules as sched
from meetkit.domain.errors import InvalidInput, LinkRenewed, NotFound
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, schedules
from meetkit.storage.sqlite import SqliteDatabase as Database

BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=BERLIN)  # a Friday


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "meetkit.db")
    await database.open()
    yield database
    await database.close()


@pytest.fixture
async def group_id(db: Database, settings: Settings) -> int:
    await directory.add_contact_point(db, OPERATOR, "KISS Beispielstadt")
    issued = await directory.add_group(db, settings, OPERATOR, "Trauergruppe", "kiss-beispielstadt")
    return issued.group.id


async def test_migration_creates_tables_with_checks(db: Database) -> None:
    def tables(conn: sqlite3.Connection) -> set[str]:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    names = await db.read(tables)
    assert {"schedules", "schedule_exceptions", "devices"} <= names
    versions = await db.read(
        lambda conn: [r[0] for r in conn.execute("SELECT version FROM schema_migrations")]
    )
    assert 3 in versions

    def bad_insert(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO schedules (group_id, frequency, weekday, start_time, duration_minutes, updated_at)"
            " VALUES (999, 'daily', 1, '19:00', 90, 'x')"
        )

    with pytest.raises(sqlite3.IntegrityError):
        await db.write(bad_insert)


async def test_set_and_show_weekly_with_next_dates_across_dst(db: Database, group_id: int) -> None:
    view = await schedules.set_schedule(
        db, OPERATOR, str(group_id), frequency="weekly", weekday=6, start=dt.time(10), place="Raum 2", now=NOW
    )
    assert view.schedule is not None and view.schedule.duration_minutes == schedules.DEFAULT_DURATION
    assert [o.day for o in view.upcoming] == [dt.date(2026, 3, 22), dt.date(2026, 3, 29), dt.date(2026, 4, 5)]
    assert [o.start.astimezone(dt.UTC).hour for o in view.upcoming] == [9, 8, 8]
    data = schedules.view_json(view)
    assert data["schedule"] == {
        "frequency": "weekly",
        "weekday": "sunday",
        "start": "10:00",
        "duration_minutes": 90,
        "place": "Raum 2",
        "anchor": None,
        "nth": None,
        "timezone": "Europe/Berlin",
        "description": "jeden Sonntag, 10:00 Uhr (90 Min.), Raum 2",
        "extra_dates": [],
        "cancelled_dates": [],
        "own_times": [],
    }
    next_dates = data["next"]
    assert isinstance(next_dates, list)
    assert next_dates[1]["start"] == "2026-03-29T10:00:00+02:00"
    shown = await schedules.get_schedule(db, OPERATOR, "Trauergruppe", now=NOW)
    assert shown.upcoming == view.upcoming


async def test_partial_change_keeps_rule_and_exceptions(db: Database, group_id: int) -> None:
    ref = str(group_id)
    await schedules.set_schedule(
        db, OPERATOR, ref, frequency="monthly", weekday=3, nth=5, start=dt.time(19), now=NOW
    )
    await schedules.add_date(db, OPERATOR, ref, dt.date(2026, 5, 28), now=NOW)
    view = await schedules.set_schedule(db, OPERATOR, ref, duration_minutes=120, place="Saal", now=NOW)
    assert view.schedule is not None
    assert (view.schedule.nth, view.schedule.duration_minutes, view.schedule.place) == (5, 120, "Saal")
    assert view.schedule.extra_dates == {dt.date(2026, 5, 28)}
    removed_place = await schedules.set_schedule(db, OPERATOR, ref, place="", now=NOW)
    assert removed_place.schedule is not None and removed_place.schedule.place is None
    with pytest.raises(InvalidInput, match="nur zusammen mit dem Rhythmus"):
        await schedules.set_schedule(db, OPERATOR, ref, weekday=2)


async def test_partial_change_without_a_schedule_explains(db: Database, group_id: int) -> None:
    with pytest.raises(InvalidInput, match="noch keinen Termin-Rhythmus"):
        await schedules.set_schedule(db, OPERATOR, str(group_id), place="Raum 1")
    with pytest.raises(InvalidInput, match="Wochentag und Uhrzeit"):
        await schedules.set_schedule(db, OPERATOR, str(group_id), frequency="weekly")


async def test_cancel_and_add_rules(db: Database, group_id: int) -> None:
    ref = str(group_id)
    await schedules.set_schedule(
        db,
        OPERATOR,
        ref,
        frequency="biweekly",
        weekday=3,
        anchor=dt.date(2026, 3, 26),
        start=dt.time(18, 30),
        now=NOW,
    )
    view = await schedules.cancel_date(db, OPERATOR, ref, dt.date(2026, 4, 9), now=NOW)
    assert [o.day for o in view.upcoming] == [dt.date(2026, 3, 26), dt.date(2026, 4, 23), dt.date(2026, 5, 7)]
    with pytest.raises(InvalidInput, match="schon abgesagt"):
        await schedules.cancel_date(db, OPERATOR, ref, dt.date(2026, 4, 9), now=NOW)
    with pytest.raises(InvalidInput, match="kein Treffen geplant"):
        await schedules.cancel_date(db, OPERATOR, ref, dt.date(2026, 4, 2), now=NOW)  # the off week
    with pytest.raises(InvalidInput, match="schon ein Treffen"):
        await schedules.add_date(db, OPERATOR, ref, dt.date(2026, 3, 26), now=NOW)
    with pytest.raises(InvalidInput, match="Vergangenheit"):
        await schedules.cancel_date(db, OPERATOR, ref, dt.date(2026, 3, 12), now=NOW)

    restored = await schedules.add_date(
        db, OPERATOR, ref, dt.date(2026, 4, 9), now=NOW
    )  # takes back the cancellation
    assert restored.schedule is not None and restored.schedule.cancelled_dates == frozenset()
    assert dt.date(2026, 4, 9) in [o.day for o in restored.upcoming]

    extra = await schedules.add_date(db, OPERATOR, ref, dt.date(2026, 3, 30), now=NOW)
    assert extra.upcoming[1].day == dt.date(2026, 3, 30) and extra.upcoming[1].extra
    dropped = await schedules.cancel_date(
        db, OPERATOR, ref, dt.date(2026, 3, 30), now=NOW
    )  # an extra date just goes
    assert dropped.schedule is not None and dropped.schedule.extra_dates == frozenset()
    assert dropped.schedule.cancelled_dates == frozenset()


async def test_exceptions_need_a_schedule_and_clear_removes_all(db: Database, group_id: int) -> None:
    ref = str(group_id)
    with pytest.raises(InvalidInput, match="um wie viel Uhr"):  # without a schedule: a time is needed
        await schedules.add_date(db, OPERATOR, ref, dt.date(2026, 4, 1), now=NOW)
    assert (await schedules.get_schedule(db, OPERATOR, ref)).schedule is None  # nothing half-written
    with pytest.raises(InvalidInput, match="zuerst einen festlegen"):
        await schedules.cancel_date(db, OPERATOR, ref, dt.date(2026, 4, 1), now=NOW)
    await schedules.set_schedule(db, OPERATOR, ref, frequency="weekly", weekday=2, start=dt.time(9), now=NOW)
    await schedules.cancel_date(db, OPERATOR, ref, dt.date(2026, 3, 25), now=NOW)
    cleared = await schedules.clear_schedule(db, OPERATOR, ref)
    assert cleared.schedule is None
    count = await db.read(lambda conn: conn.execute("SELECT COUNT(*) FROM schedule_exceptions").fetchone()[0])
    assert count == 0
    with pytest.raises(NotFound):
        await schedules.clear_schedule(db, OPERATOR, ref)
    assert await schedules.next_dates(db, group_id, now=NOW) == []


async def test_unknown_group(db: Database, group_id: int) -> None:
    with pytest.raises(NotFound):
        await schedules.get_schedule(db, OPERATOR, "999")


async def test_calendar_feed_follows_the_name_setting_and_the_member_code(
    db: Database, settings: Settings
) -> None:
    await directory.add_contact_point(db, OPERATOR, "Offen", slug="offen")
    await directory.add_contact_point(db, OPERATOR, "Diskret", slug="diskret", show_group_names=False)
    shown = await directory.add_group(db, settings, OPERATOR, "Angehörige Sucht", "offen")
    hidden = await directory.add_group(db, settings, OPERATOR, "Depression Nord", "diskret")
    for issued in (shown, hidden):
        await schedules.set_schedule(
            db,
            OPERATOR,
            str(issued.group.id),
            frequency="weekly",
            weekday=0,
            start=dt.time(19),
            place="Raum 1",
            now=NOW,
        )
    open_feed = await schedules.calendar_feed(db, settings, shown.group.member_code, now=NOW)
    assert "SUMMARY:Angehörige Sucht" in open_feed and "LOCATION:Raum 1" in open_feed
    discreet = await schedules.calendar_feed(db, settings, hidden.group.member_code, now=NOW)
    assert "Depression" not in discreet and "SUMMARY:Gruppentreffen" in discreet
    for feed, issued in ((open_feed, shown), (discreet, hidden)):
        assert issued.group.room not in feed and issued.group.member_code not in feed
        assert f"-{issued.group.id}-" not in feed
    uid = schedules.uid_stem(settings, shown.group.id)
    assert f"UID:{uid}-20260323@meetkit" in open_feed
    assert uid != schedules.uid_stem(settings, hidden.group.id)

    rotated = await directory.rotate_group(db, settings, OPERATOR, str(shown.group.id))
    with pytest.raises(LinkRenewed):
        await schedules.calendar_feed(db, settings, shown.group.member_code, now=NOW)
    assert "BEGIN:VEVENT" in await schedules.calendar_feed(db, settings, rotated.group.member_code, now=NOW)


async def test_calendar_feed_without_schedule_is_empty_but_valid(db: Database, settings: Settings) -> None:
    issued = await directory.add_group(db, settings, OPERATOR, "Ohne Termine")
    feed = await schedules.calendar_feed(db, settings, issued.group.member_code, now=NOW)
    assert feed.startswith("BEGIN:VCALENDAR\r\n") and feed.endswith("END:VCALENDAR\r\n")
    assert "BEGIN:VEVENT" not in feed


async def test_the_limit_of_single_dates_holds_for_adding_one_and_for_a_whole_schedule(
    db: Database, group_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sched, "MAX_EXCEPTIONS", 3)  # 500 in real use; the rule is the same
    ref = str(group_id)
    days = [dt.date(2026, 4, n) for n in (1, 2, 3, 4)]
    evening = sched.OwnTime(dt.time(18, 30), 90)
    for day in days[:3]:
        await schedules.add_date(db, OPERATOR, ref, day, own=evening, now=NOW)
    with pytest.raises(InvalidInput, match="Höchstens 3 einzelne Zusatz- und Ausfalltermine"):
        await schedules.add_date(db, OPERATOR, ref, days[3], own=evening, now=NOW)
    view = await schedules.get_schedule(db, OPERATOR, ref, now=NOW)
    assert view.schedule is not None and sorted(view.schedule.extra_dates) == days[:3]  # nothing written
    with pytest.raises(InvalidInput, match="Höchstens 3"):
        sched.make_schedule(
            "dates", None, None, None, extra_dates=days, extra_times=dict.fromkeys(days, evening)
        )
