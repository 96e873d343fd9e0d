"""Single dates (issue 12): a group with no fixed time adds meetings one by one, each at its own time."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.dates import meeting_day
from meetkit.domain import extra_dates, ical, meeting_dates, schedule_description_de
from meetkit.domain import schedules as s
from meetkit.domain.errors import InvalidInput
from meetkit.domain.schedules import TIMEZONE, OwnTime
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, leader_links
from meetkit.storage import migrate
from meetkit.web.keys import DATABASE
from tests.conftest import CliResult, SeededGroup
from tests.dbtools import rows
from tests.staff import StaffBrowser

Client = TestClient[web.Request, web.Application]
Cli = Callable[..., CliResult]


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TIMEZONE)


def _soon(days: int = 9) -> dt.date:
    return dt.datetime.now(TIMEZONE).date() + dt.timedelta(days=days)


def _alert(html: str) -> str | None:
    found = re.search(r'role="alert">([^<]*)<', html)
    return found.group(1) if found else None


# --- the domain ---


def test_single_dates_are_the_meetings_each_at_its_own_time() -> None:
    first, second = dt.date(2026, 5, 14), dt.date(2026, 6, 2)
    dates = s.make_schedule(
        "dates",
        None,
        None,
        None,
        place="Raum 2",
        extra_dates=[first, second],
        extra_times={first: OwnTime(dt.time(18, 30), 60), second: OwnTime(dt.time(10, 0), 120)},
    )
    assert schedule_description_de.describe(dates) == "einzelne Termine, Raum 2" and not dates.has_rule
    assert schedule_description_de.describe(extra_dates.single_dates()) == "einzelne Termine"
    found = meeting_dates.next_occurrences(dates, _local(first, 8), 5)
    assert [(o.day, o.start, o.end) for o in found] == [
        (first, _local(first, 18, 30), _local(first, 19, 30)),
        (second, _local(second, 10), _local(second, 12)),
    ]
    assert all(o.place == "Raum 2" and o.extra for o in found)
    assert [o.day for o in meeting_dates.occurrences_between(dates, first, second)] == [first, second]
    assert (
        meeting_dates.occurrences_between(dates, first + dt.timedelta(days=1), second - dt.timedelta(days=1))
        == []
    )
    today = meeting_dates.todays_occurrences(dates, _local(first, 18, 45))
    assert len(today) == 1 and today[0].is_running(_local(first, 18, 45))
    assert not today[0].is_running(_local(first, 19, 30))
    assert meeting_dates.next_occurrences(dates, _local(second, 12), 5) == []  # over: nothing comes
    feed = ical.schedule_feed(dates, summary="Treffen", uid_stem="x", now=_local(first, 8))
    assert "DTSTART:20260514T163000Z" in feed and "DTEND:20260514T173000Z" in feed
    assert "DTSTART:20260602T080000Z" in feed and "RRULE" not in feed
    # a regular schedule's extra date may carry its own time too; the others take the rule's
    weekly = s.make_schedule(
        "weekly", 3, dt.time(19), 90, extra_dates=[second], extra_times={second: OwnTime(dt.time(10), 60)}
    )
    times = [
        (o.day, o.start.time())
        for o in meeting_dates.occurrences_between(weekly, second, second + dt.timedelta(2))
    ]
    assert times == [(second, dt.time(10)), (second + dt.timedelta(2), dt.time(19))]


def test_single_dates_refuse_what_does_not_fit() -> None:
    day = dt.date(2026, 5, 14)
    for kwargs, words in (
        ({"weekday": 3}, "keinen Wochentag"),
        ({"start": dt.time(19), "duration_minutes": 90}, "eigene Uhrzeit"),
        ({"extra_dates": [day]}, "braucht jeder Termin eine Uhrzeit"),
    ):
        args = {"weekday": None, "start": None, "duration_minutes": None, **kwargs}
        with pytest.raises(InvalidInput, match=words):
            s.make_schedule("dates", **args)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="fehlen Wochentag, Uhrzeit und Dauer"):
        s.make_schedule("weekly", None, None, None)
    with pytest.raises(InvalidInput, match="Dauer muss zwischen 1 und 720"):
        s.make_schedule(
            "dates", None, None, None, extra_dates=[day], extra_times={day: OwnTime(dt.time(9), 0)}
        )
    dates = extra_dates.single_dates()
    moment = _local(day, 20)
    with pytest.raises(InvalidInput, match=r"^Der Mittwoch, 13\.05\.2026 liegt in der Vergangenheit\.$"):
        extra_dates.check_new_date(dates, day - dt.timedelta(days=1), OwnTime(dt.time(18, 30), 60), moment)
    with pytest.raises(InvalidInput, match="wäre schon vorbei"):
        extra_dates.check_new_date(dates, day, OwnTime(dt.time(18, 30), 60), moment)
    with pytest.raises(InvalidInput, match="um wie viel Uhr"):
        extra_dates.check_new_date(dates, day + dt.timedelta(days=1), None, moment)
    extra_dates.check_new_date(dates, day, OwnTime(dt.time(19, 30), 60), moment)  # running now: may be added


# --- the leader page, the member page and "now" ---


async def test_a_group_without_fixed_time_adds_and_cancels_a_date_on_the_leader_page(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    leader = f"/l/{group.leader_token}"

    async def post(path: str, data: dict[str, str]) -> tuple[int, str]:
        answer = await client.post(leader + path, data=data, allow_redirects=False)
        return answer.status, await answer.text()

    assert (await post("/plan", {"rhythm": "none"}))[0] == 303
    page = await (await client.get(leader)).text()
    assert "Noch kein Termin eingetragen" in page and 'id="extra-time"' in page
    day = _soon()
    status, _ = await post("/plan/add", {"date": day.isoformat(), "time": "18:30", "duration": "60"})
    assert status == 303
    shown = f"{day:%d.%m.%Y}, 18:30 bis 19:30 Uhr"
    assert shown in await (await client.get(leader)).text()
    member_page = await (await client.get(group.member_path)).text()
    assert f"{meeting_day(day, 'de')}</strong>, 18:30 bis 19:30 Uhr" in member_page
    sheet = (await (await client.get(leader + "/sheet")).text()).replace("\u00a0", " ")
    assert f"{meeting_day(day, 'de')}, 18:30 Uhr" in sheet  # no rule in words: each date with its time
    db = client.app[DATABASE]
    assert (await leader_links.meeting_now(db, group.id, _local(day, 18, 45))).running
    assert not (await leader_links.meeting_now(db, group.id, _local(day, 19, 30))).running

    yesterday = (_soon(0) - dt.timedelta(days=1)).isoformat()
    status, text = await post("/plan/add", {"date": yesterday, "time": "18:30", "duration": "60"})
    assert status == 400 and "liegt in der Vergangenheit" in (_alert(text) or "")
    status, text = await post("/plan/add", {"date": _soon(3).isoformat(), "time": "", "duration": "60"})
    assert status == 400
    assert _alert(text) == "Bitte geben Sie an, um wie viel Uhr das Treffen beginnt und wie lange es dauert."
    english = await client.post(
        leader + "/plan/add?lang=en",
        data={"date": yesterday, "time": "18:30", "duration": "60"},
        allow_redirects=False,
    )
    assert english.status == 400 and "in the past" in (_alert(await english.text()) or "")
    assert len(rows(settings, "SELECT day FROM schedule_exceptions")) == 1  # nothing half-written

    assert (await post("/plan/cancel", {"date": day.isoformat()}))[0] == 303
    assert shown not in await (await client.get(leader)).text()
    assert f"{day:%d.%m.%Y}" not in await (await client.get(group.member_path)).text()
    assert rows(settings, "SELECT day FROM schedule_exceptions") == []


# --- the migration, from an installation at 0017 with data ---


def _migrate_to(conn: object, dialect: str, monkeypatch: pytest.MonkeyPatch, last: int) -> list[str]:
    every = migrate.migration_files()
    monkeypatch.setattr(migrate, "migration_files", lambda: [m for m in every if m[0] <= last])
    try:
        return migrate.migrate(conn, dialect)  # type: ignore[arg-type]
    finally:
        monkeypatch.setattr(migrate, "migration_files", lambda: every)


_SEED = (
    "INSERT INTO contact_points (name, slug, created_at) VALUES ('KISS', 'kiss', '2026-01-01T00:00:00Z')",
    "INSERT INTO support_groups (contact_point_id, name, room, member_code, leader_token_hash, created_at)"
    " VALUES (1, 'Trauercafé', 'room-abc', 'abcdefghjk', 'hash', '2026-01-01T00:00:00Z')",
    "INSERT INTO schedules (group_id, frequency, weekday, start_time, duration_minutes, place, anchor_date,"
    " nth, updated_at) VALUES (1, 'weekly', 3, '19:00', 90, 'Raum 2', NULL, NULL, '2026-01-01T00:00:00Z')",
    "INSERT INTO schedule_exceptions (group_id, day, kind) VALUES (1, '2026-05-14', 'cancelled')",
    "INSERT INTO schedule_exceptions (group_id, day, kind) VALUES (1, '2026-05-16', 'extra')",
)


def _check_migrated(query: Callable[[str], list[tuple[object, ...]]]) -> None:
    assert query(
        "SELECT group_id, frequency, weekday, start_time, duration_minutes, place FROM schedules"
    ) == [(1, "weekly", 3, "19:00", 90, "Raum 2")]
    assert query("SELECT day, kind, start_time, duration_minutes FROM schedule_exceptions ORDER BY day") == [
        ("2026-05-14", "cancelled", None, None),
        ("2026-05-16", "extra", None, None),
    ]


@pytest.mark.sqlite_only  # the PostgreSQL version runs in the next test
def test_the_migration_keeps_sqlite_schedules_and_dates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = sqlite3.connect(tmp_path / "meetkit.db", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")  # as meetkit opens it: the rebuild must not cascade
    _migrate_to(conn, "sqlite", monkeypatch, 17)
    for statement in _SEED:
        conn.execute(statement)
    assert _migrate_to(conn, "sqlite", monkeypatch, 18) == ["single_dates"]
    _check_migrated(lambda sql: conn.execute(sql).fetchall())
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with pytest.raises(sqlite3.IntegrityError):  # the group must exist: the foreign key survived
        conn.execute(
            "INSERT INTO schedule_exceptions (group_id, day, kind) VALUES (9, '2026-06-01', 'extra')"
        )
    with pytest.raises(sqlite3.IntegrityError):  # a rule without a time
        conn.execute("UPDATE schedules SET start_time = NULL")
    conn.execute("DELETE FROM support_groups")  # cascades through both rebuilt tables
    assert conn.execute("SELECT COUNT(*) FROM schedule_exceptions").fetchone() == (0,)
    conn.close()


def test_the_migration_keeps_postgresql_schedules_and_dates(
    postgres_cluster: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    cluster = postgres_cluster
    name = "single_dates_0017"
    with psycopg.connect(cluster.url(), autocommit=True) as admin:  # type: ignore[attr-defined]
        admin.execute(f"CREATE DATABASE {name}")
    try:
        from meetkit.storage.postgres import translate

        with psycopg.connect(cluster.url(name), autocommit=True) as pg:  # type: ignore[attr-defined]
            conn = _Translated(pg, translate)
            _migrate_to(conn, "postgresql", monkeypatch, 17)
            for statement in _SEED:
                pg.execute(statement)
            assert _migrate_to(conn, "postgresql", monkeypatch, 18) == ["single_dates"]
            _check_migrated(lambda sql: [tuple(r) for r in pg.execute(sql).fetchall()])
            with pytest.raises(psycopg.IntegrityError):  # single dates carry no rule time
                pg.execute("UPDATE schedules SET frequency = 'dates'")
            pg.execute(
                "UPDATE schedules SET frequency = 'dates', weekday = NULL, start_time = NULL,"
                " duration_minutes = NULL"
            )
    finally:
        with psycopg.connect(cluster.url(), autocommit=True) as admin:  # type: ignore[attr-defined]
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


class _Translated:
    """A psycopg connection taking SQLite placeholders, as the migration runner writes them."""

    def __init__(self, pg: psycopg.Connection[tuple[object, ...]], translate: Callable[[str], str]) -> None:
        self.pg, self.translate = pg, translate

    def execute(self, sql: str, params: tuple[object, ...] = ()) -> psycopg.Cursor[tuple[object, ...]]:
        return self.pg.execute(self.translate(sql), params)


# --- the command line and the API ---


def test_the_cli_sets_single_dates_and_adds_one_at_its_own_time(cli: Cli) -> None:
    group = str(cli("group", "add", "Trauercafé", "--json").json()["id"])
    assert cli("group", "schedule", group, "--dates").returncode == 0
    day = _soon()
    no_time = cli("group", "schedule", group, "--add", day.isoformat())
    assert no_time.returncode == 2
    assert "um wie viel Uhr das Treffen beginnt" in no_time.stderr
    added = cli(
        "group", "schedule", group, "--add", day.isoformat(), "--time", "18:30", "--duration", "60", "--json"
    )
    assert added.returncode == 0, added.stderr
    shown = added.json()
    assert shown["schedule"]["frequency"] == "dates" and shown["schedule"]["weekday"] is None
    assert shown["schedule"]["own_times"] == [
        {"date": day.isoformat(), "start": "18:30", "duration_minutes": 60}
    ]
    assert [o["start"][11:16] for o in shown["next"]] == ["18:30"]
    text = cli("group", "schedule", group, extra_env={"MEETKIT_LANG": "de"}).stdout
    assert f"Gruppe {group}: einzelne Termine" in text and "18:30–19:30" in text
    past = cli("group", "schedule", group, "--add", "2020-01-02", "--time", "9:00")
    assert past.returncode == 2 and "liegt in der Vergangenheit" in past.stderr
    assert cli("group", "schedule", group, "--cancel", day.isoformat(), "--json").json()["next"] == []


async def test_the_api_sets_single_dates_and_adds_one_at_its_own_time(
    client: Client, group: SeededGroup, api_token: str
) -> None:
    headers = {"Authorization": f"Bearer {api_token}"}
    url = f"/api/v1/groups/{group.id}/schedule"
    set_ = await client.put(url, json={"frequency": "dates", "place": "Raum 2"}, headers=headers)
    assert set_.status == 200, await set_.text()
    assert (await set_.json())["schedule"]["description"] == "einzelne Termine, Raum 2"
    day = _soon()
    refused = await client.post(url + "/add", json={"date": day.isoformat()}, headers=headers)
    assert refused.status == 400 and "um wie viel Uhr" in (await refused.json())["error"]
    added = await client.post(
        url + "/add",
        json={"date": day.isoformat(), "start": "18:30", "duration_minutes": 60},
        headers=headers,
    )
    assert added.status == 200, await added.text()
    answer = await added.json()
    assert answer["next"][0]["start"] == _local(day, 18, 30).isoformat()
    assert answer["next"][0]["end"] == _local(day, 19, 30).isoformat()
    with_rule = await client.put(url, json={"frequency": "dates", "start": "19:00"}, headers=headers)
    assert with_rule.status == 400
    feed = await (await client.get(f"{group.member_path}/calendar.ics")).text()
    start = _local(day, 18, 30).astimezone(dt.UTC)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}" in feed


async def test_the_staff_editor_saves_single_dates_and_adds_one_at_its_own_time(
    seeded: Client, settings: Settings
) -> None:
    db = seeded.app[DATABASE]
    issued = await directory.add_group(db, settings, OPERATOR, "Trauercafé", "kiss-nord")
    base = f"/staff/groups/{issued.group.id}/schedule"
    staff = StaffBrowser(seeded)
    await staff.sign_in("nord@example.org")
    page_path = f"/staff/groups/{issued.group.id}"
    await staff.get(page_path)
    preview = await staff.post(base + "/preview", {"frequency": "dates", "start": "", "duration": ""})
    assert preview.status == 200 and "<li>" not in preview.text  # no dates yet, and no mistake either
    await staff.get(page_path)
    saved = await staff.post(base, {"frequency": "dates", "place": "Raum 2", "action": "save"})
    assert saved.status == 303
    day = _soon()
    assert "einzelne Termine (keine feste Zeit)" in (await staff.get(page_path)).text
    missing = await staff.post(base + "/date", {"action": "add", "add_date": day.isoformat()})
    assert missing.status == 400 and "um wie viel Uhr das Treffen beginnt" in missing.text
    added = await staff.post(
        base + "/date",
        {"action": "add", "add_date": day.isoformat(), "add_start": "18:30", "add_duration": "60"},
    )
    assert added.status == 303
    page = await staff.get(page_path)
    assert "Jetzt gespeichert: einzelne Termine · Ort: Raum 2" in page.text
    assert f"{day:%d.%m.%Y}, 18:30 bis 19:30 Uhr, Raum 2" in page.text
    assert rows(settings, "SELECT start_time, duration_minutes FROM schedule_exceptions") == [
        {"start_time": "18:30", "duration_minutes": 60}
    ]


def test_the_sheet_writes_the_time_of_an_extra_date_that_has_its_own() -> None:
    """A weekly rule says 19:00 in words; an extra date at 18:30 must not lose its time on the sheet."""
    from zoneinfo import ZoneInfo

    from meetkit.schedule_words import MeetingRule
    from meetkit.sheets.data import SheetData
    from meetkit.sheets.view import sheet_view

    berlin = ZoneInfo("Europe/Berlin")
    regular = dt.datetime(2026, 12, 3, 19, 0, tzinfo=berlin)
    extra = dt.datetime(2026, 12, 5, 18, 30, tzinfo=berlin)
    rule = MeetingRule("weekly", 3, dt.time(19, 0), dt.time(20, 30))
    view = sheet_view(SheetData("https://t.example/j/abcd", next_meetings=(regular, extra), rule=rule))
    assert view.rule == "jeden Donnerstag, 19:00 bis 20:30 Uhr"
    assert [m.replace("\u00a0", " ") for m in view.meetings] == [
        "Donnerstag, 3. Dezember 2026",
        "Samstag, 5. Dezember 2026, 18:30 Uhr",
    ]
