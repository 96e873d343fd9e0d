"""`meetkit db copy --to URL` as an operator runs it: a whole SQLite installation moved to PostgreSQL (and back)."""

from __future__ import annotations

import asyncio
import datetime as dt
import http.client
import itertools
import json
import os
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
import pytest
from aiohttp.test_utils import TestClient, TestServer

from meetkit.config import Settings, load_settings, with_secret
from meetkit.storage.database import database_for
from meetkit.storage.migrate import for_dialect
from meetkit.web.app import create_app
from tests import dbtools
from tests.conftest import BASE_ENV, CliResult, RunningServer, free_port
from tests.postgres_cluster import Cluster
from tests.standins.event_sync import meeting, people

Cli = Callable[..., CliResult]
BERLIN = ZoneInfo("Europe/Berlin")
PUBLIC = "https://treffen.example.org"
EVENTS_AUTH = {
    "Authorization": f"Bearer {BASE_ENV['MEETKIT_EVENTS_SECRET']}",
    "Content-Type": "application/json",
}
START = (int(dt.datetime.now(dt.UTC).timestamp()) - 3 * 3600) // 300 * 300 + 100  # three hours ago
NOT_COPIED = {"schema_migrations", "cache_epoch", "job_leases"}

pytestmark = pytest.mark.sqlite_only  # the source is a SQLite installation; targets are made here

_names = itertools.count(1)


@pytest.fixture
def empty_database(postgres_cluster: Cluster) -> Iterator[Callable[[], str]]:
    """Make fresh PostgreSQL databases with nothing in them (not even meetkit's tables); drop them afterwards."""
    made: list[str] = []

    def make() -> str:
        name = f"copy_{os.getpid()}_{next(_names)}"
        with psycopg.connect(postgres_cluster.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        made.append(name)
        return postgres_cluster.url(name)

    yield make
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as conn:
        for name in made:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


def ok(result: CliResult) -> Any:
    """The JSON a successful command printed."""
    assert result.returncode == 0, result.stderr
    return result.json()


def refused(result: CliResult) -> str:
    """The one-line error of a command that was refused as it should be (status 2, no traceback)."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(("meetkit: Fehler: ", "meetkit: error: ")), result.stderr
    return lines[0]


def request(
    server: RunningServer, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str]]:
    """One HTTP request to the running server, without following redirects: status and headers."""
    address = urllib.parse.urlsplit(server.url)
    conn = http.client.HTTPConnection(address.hostname or "", address.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status, dict(response.getheaders())
    finally:
        conn.close()


def settings_for(env: dict[str, str], database_url: str) -> Settings:
    """Settings of the installation `env` describes, on another database."""
    return with_secret(load_settings({**env, "MEETKIT_DATABASE_URL": database_url}, env_file="/nonexistent"))


def table_rows(settings: Settings) -> dict[str, list[tuple[Any, ...]]]:
    """Every copied table's rows, sorted, booleans as 0/1: what the two backends must agree on."""
    tables = {t for t, _ in dbtools.schema_columns(settings)} - NOT_COPIED
    found = {}
    for table in sorted(tables):
        rows = dbtools.rows(settings, f"SELECT * FROM {table}")
        normal = [tuple(int(v) if isinstance(v, bool) else v for v in row.values()) for row in rows]
        found[table] = sorted(normal, key=repr)
    return found


def stored_data(settings: Settings) -> bytes:
    """Everything in the database (pg_dump), without the random key newer pg_dump versions put in each dump."""
    lines = dbtools.database_bytes(settings).splitlines(keepends=True)
    return b"".join(line for line in lines if not line.startswith((b"\\restrict ", b"\\unrestrict ")))


def seed_installation(cli: Cli, server: RunningServer) -> dict[str, Any]:
    """Every kind of record, made as staff, leaders, tablets and Jitsi make them; returns what the test needs."""
    ok(cli("contact-point", "add", "KISS Beispielstadt", "--phone", "0911 234567", "--json"))
    ok(cli("contact-point", "add", "Selbsthilfe Nord", "--hide-group-names", "--json"))
    rotated = ok(cli("group", "add", "Angehörige Sucht", "--contact-point", "kiss-beispielstadt", "--json"))
    scheduled = ok(cli("group", "add", "Trauercafé", "--contact-point", "kiss-beispielstadt", "--json"))
    counted = ok(cli("group", "add", "Depression", "--contact-point", "selbsthilfe-nord", "--json"))
    ok(cli("group", "add", "Ohne Kontaktstelle", "--json"))
    renewed = ok(cli("group", "rotate", str(rotated["id"]), "--json"))
    ok(cli("user", "add", "admin@land.example", "--name", "Landesstelle", "--admin", "--json"))
    ok(cli("user", "add", "beratung@kiss.example", "--contact-point", "kiss-beispielstadt", "--json"))

    today = dt.datetime.now(BERLIN).date()
    cancel = today + dt.timedelta(days=(3 - today.weekday()) % 7 + 14)  # a Thursday two weeks on
    extra = cancel + dt.timedelta(days=2)
    ok(
        cli(
            "group", "schedule", str(scheduled["id"]), "--weekly", "do", "19:00", "--place", "Raum 2",
            "--cancel", cancel.isoformat(), "--add", extra.isoformat(), "--time", "18:30", "--duration", "60",
            "--json",
        )
    )  # fmt: skip

    paired = ok(cli("device", "add", "Tablet Raum 2", "--contact-point", "kiss-beispielstadt", "--json"))
    pairing_path = paired["pairing_url"].removeprefix(PUBLIC)
    status, headers = request(server, "POST", pairing_path)
    assert status == 303, status
    kiosk_path = headers["Location"]
    revoked = ok(cli("device", "add", "Tablet alt", "--contact-point", "kiss-beispielstadt", "--json"))
    assert cli("device", "revoke", "Tablet alt").returncode == 0
    waiting = ok(cli("device", "add", "Tablet neu", "--contact-point", "selbsthilfe-nord", "--json"))

    for path, body in meeting(counted["room"], START, people(4)):
        status, _ = request(server, "POST", f"/jitsi/events/{path}", json.dumps(body).encode(), EVENTS_AUTH)
        assert status == 200, status
    meeting_day = dt.datetime.fromtimestamp(START, BERLIN).date()
    leader_path = scheduled["leader_url"].removeprefix(PUBLIC)
    form = urllib.parse.urlencode({"date": meeting_day.isoformat(), "in_room": "5", "phone": "2"}).encode()
    status, _ = request(
        server,
        "POST",
        f"{leader_path}/attendance",
        form,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 303, status
    # a meeting older than a retention of one month: the purge keeps its monthly totals (monthly_totals)
    old_day = meeting_day.replace(day=1) - dt.timedelta(days=40)
    form = urllib.parse.urlencode({"date": old_day.isoformat(), "in_room": "4"}).encode()
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert request(server, "POST", f"{leader_path}/attendance", form, headers)[0] == 303
    assert ok(cli("purge", "--json", extra_env={"MEETKIT_RETENTION_MONTHS": "1"}))["removed"]["meetings"] == 1

    form_headers = {"Content-Type": "application/x-www-form-urlencoded"}
    guest_day = urllib.parse.urlencode({"date": (cancel + dt.timedelta(days=7)).isoformat()}).encode()
    for path, body in ((f"{leader_path}/guests", guest_day), (f"{leader_path}/handover", b"")):
        status, _ = request(server, "POST", path, body, form_headers)  # a guest link and a hand-over link
        assert status == 200, (path, status)
    ok(cli("leader-invite", "--contact-point", "kiss-beispielstadt", "--json"))
    lent = ok(
        cli("device", "add", "Laptop 1", "--contact-point", "selbsthilfe-nord", "--kind", "laptop", "--json")
    )
    day_after = (today + dt.timedelta(days=1)).isoformat()
    ok(cli("loan", "add", str(lent["device"]["id"]), "--group", "Depression", "--from", today.isoformat(),
           "--until", day_after, "--json"))  # fmt: skip
    ok(cli("group", "add", "Früher", "--contact-point", "selbsthilfe-nord", "--json"))
    assert cli("group", "archive", "Früher").returncode == 0

    ok(cli("api-token", "add", "Nord", "--contact-point", "selbsthilfe-nord", "--json"))
    ok(cli("api-token", "add", "Verwaltung", "--admin", "--json"))
    old_token = ok(cli("api-token", "add", "Altes Skript", "--admin", "--json"))
    assert cli("api-token", "revoke", str(old_token["id"])).returncode == 0
    return {
        "old": rotated,
        "new": renewed,
        "kiosk_path": kiosk_path,
        "revoked_pairing_path": revoked["pairing_url"].removeprefix(PUBLIC),
        "open_pairing_path": waiting["pairing_url"].removeprefix(PUBLIC),
        "month": meeting_day.strftime("%Y-%m"),
    }


def views(cli: Cli, month: str, database_url: str | None = None) -> dict[str, Any]:
    """What staff see through the CLI, as JSON, on the configured database or on `database_url`."""
    extra = {"MEETKIT_DATABASE_URL": database_url} if database_url else None
    commands = {
        "groups": ("group", "list", "--json"),
        "report": ("report", "--month", month, "--json"),
        "contact_points": ("contact-point", "list", "--json"),
        "devices": ("device", "list", "--json"),
        "api_tokens": ("api-token", "list", "--json"),
        "schedule": ("group", "schedule", "Trauercafé", "--json"),
    }
    return {name: ok(cli(*args, extra_env=extra)) for name, args in commands.items()}


async def links_on(settings: Settings, seeded: dict[str, Any]) -> dict[str, int]:
    """Statuses of the old and new links, PINs and tablets on an app serving `settings`' database."""
    async with TestClient(TestServer(create_app(settings))) as client:
        statuses = {}
        for name, url in {
            "retired_member": seeded["old"]["member_url"],
            "retired_leader": seeded["old"]["leader_url"],
            "member": seeded["new"]["member_url"],
            "leader": seeded["new"]["leader_url"],
            "kiosk": PUBLIC + seeded["kiosk_path"],
            "revoked_pairing": PUBLIC + seeded["revoked_pairing_path"],
            "open_pairing": PUBLIC + seeded["open_pairing_path"],
        }.items():
            statuses[name] = (await client.get(url.removeprefix(PUBLIC))).status
        for name, pin in {"retired_pin": seeded["old"]["pin"], "pin": seeded["new"]["pin"]}.items():
            response = await client.get(
                "/jitsi/conference-mapper",
                params={"id": pin},
                headers={"Authorization": f"Bearer {BASE_ENV['MEETKIT_PBX_SECRET']}"},
            )
            statuses[name] = 200 if (await response.json())["conference"] else 404
        return statuses


def test_a_sqlite_installation_moves_to_postgresql_and_back_unchanged(
    cli: Cli,
    env: dict[str, str],
    settings: Settings,
    running_server: RunningServer,
    empty_database: Callable[[], str],
    tmp_path: Path,
) -> None:
    seeded = seed_installation(cli, running_server)
    before = views(cli, seeded["month"])
    assert before["report"]["totals"]["meetings"] == 2, before["report"]  # from Jitsi and from a leader
    source_rows = table_rows(settings)
    transient = {  # failed look-ups (pruned within the hour) and what only signing in makes
        "lookup_failures", "lookup_blocks", "staff_sessions", "staff_login_failures", "staff_recovery_codes",
        "staff_settings", "sheet_batches",  # batches of sheets are kept for an hour
    }  # fmt: skip
    assert [t for t, rows in source_rows.items() if not rows and t not in transient] == []  # every kind

    target = empty_database()
    copied = ok(cli("db", "copy", "--to", target, "--json"))  # while the server keeps running on the source
    assert copied["tables"] == {table: len(rows) for table, rows in source_rows.items()}
    assert copied["total_rows"] == sum(copied["tables"].values())
    assert copied["target"] == target and copied["source"] == settings.database_url

    on_postgres = settings_for(env, target)
    assert table_rows(on_postgres) == source_rows
    assert views(cli, seeded["month"], target) == before
    expected_links = {
        "retired_member": 404,
        "retired_leader": 404,
        "member": 200,
        "leader": 200,
        "kiosk": 200,
        "revoked_pairing": 404,
        "open_pairing": 200,
        "retired_pin": 404,
        "pin": 200,
    }
    assert asyncio.run(links_on(settings, seeded)) == expected_links
    assert asyncio.run(links_on(on_postgres, seeded)) == expected_links

    # PostgreSQL numbers new rows after the copied ids
    added = ok(cli("group", "add", "Neue Gruppe", "--json", extra_env={"MEETKIT_DATABASE_URL": target}))
    assert added["id"] == max(row[0] for row in source_rows["support_groups"]) + 1  # archived ones count too

    # and back: PostgreSQL to a new SQLite file
    back = tmp_path / "back" / "meetkit.db"
    back.parent.mkdir()
    ok(cli("db", "copy", "--to", f"sqlite:///{back}", "--json", extra_env={"MEETKIT_DATABASE_URL": target}))
    assert views(cli, seeded["month"], f"sqlite:///{back}") == views(cli, seeded["month"], target)


def test_a_target_that_holds_data_is_refused_and_left_unchanged(
    cli: Cli, env: dict[str, str], empty_database: Callable[[], str]
) -> None:
    ok(cli("group", "add", "Trauercafé", "--json"))
    target = empty_database()
    ok(cli("db", "init", "--json", extra_env={"MEETKIT_DATABASE_URL": target}))
    ok(cli("group", "add", "Schon da", "--json", extra_env={"MEETKIT_DATABASE_URL": target}))
    target_settings = settings_for(env, target)
    stored = stored_data(target_settings)

    message = refused(cli("db", "copy", "--to", target))
    assert "enthält schon Daten (Tabellen: audit_log, support_groups)" in message  # "group add" is audited
    assert "es wurde nichts verändert" in message
    assert stored_data(target_settings) == stored

    english = refused(cli("db", "copy", "--to", target, extra_env={"LANG": "en_GB.UTF-8"}))
    assert "already holds data (tables: audit_log, support_groups)" in english
    assert stored_data(target_settings) == stored


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://meetkit:geheim@127.0.0.1:{port}/meetkit", "ist nicht erreichbar: connection failed"),
        ("postgresql://meetkit:geheim@127.0.0.1:notaport/meetkit", "ist nicht erreichbar"),
        ("mysql://meetkit:geheim@localhost/meetkit", "erwartet wird sqlite:///PFAD oder postgresql://"),
        ("sqlite:///{tmp}/no/such/folder/meetkit.db", "lässt sich nicht als SQLite-Datenbank öffnen"),
    ],
)
def test_a_wrong_or_unreachable_target_gives_one_clear_line(
    cli: Cli, tmp_path: Path, url: str, expected: str
) -> None:
    ok(cli("group", "add", "Trauercafé", "--json"))
    message = refused(cli("db", "copy", "--to", url.format(port=free_port(), tmp=tmp_path)))
    assert expected in message
    assert "geheim" not in message  # the password is never shown


def test_a_copy_that_fails_half_way_leaves_the_target_empty(
    cli: Cli, env: dict[str, str], settings: Settings, empty_database: Callable[[], str]
) -> None:
    group = ok(cli("group", "add", "Trauercafé", "--json"))
    ok(cli("group", "rotate", str(group["id"]), "--json"))
    # A row SQLite took without checking its foreign key (as an old or hand-edited file may hold)
    dbtools.execute(
        settings,
        "INSERT INTO retired_links (kind, secret_hash, group_id, retired_at) VALUES ('member', 'x', 999, 'now')",
    )
    target = empty_database()
    message = refused(cli("db", "copy", "--to", target))
    assert "Kopieren abgebrochen bei Tabelle retired_links" in message
    assert "Die Zieldatenbank ist unverändert geblieben" in message
    target_settings = settings_for(env, target)
    assert not any(table_rows(target_settings).values())  # groups were written before, and rolled back

    dbtools.execute(settings, "DELETE FROM retired_links WHERE group_id = 999")
    ok(cli("db", "copy", "--to", target, "--json"))
    assert table_rows(target_settings) == table_rows(settings)


async def migrate(url: str) -> None:
    """Create meetkit's tables in a database, as `meetkit serve` does on start."""
    db = database_for(url)
    await db.open()
    await db.close()


def _create_in_both(settings: Settings, target: str, statement: str) -> None:
    """A table a later migration would add, made in the source and in the (not yet migrated) target."""
    dbtools.execute(settings, statement)
    with psycopg.connect(target, autocommit=True) as conn:
        conn.execute(for_dialect(statement, "postgresql"))  # type: ignore[arg-type]


def test_a_table_added_by_a_later_migration_is_copied_in_foreign_key_order(
    cli: Cli, env: dict[str, str], settings: Settings, empty_database: Callable[[], str]
) -> None:
    group = ok(cli("group", "add", "Trauercafé", "--json"))
    target = empty_database()
    asyncio.run(migrate(target))
    _create_in_both(
        settings,
        target,
        "CREATE TABLE aaa_later_notes (id INTEGER PRIMARY KEY,"
        " group_id INTEGER NOT NULL REFERENCES support_groups (id), done BOOLEAN NOT NULL, note TEXT)",
    )
    for note in ("eins", "zwei"):
        dbtools.execute(
            settings,
            "INSERT INTO aaa_later_notes (group_id, done, note) VALUES (?, TRUE, ?)",
            group["id"],
            note,
        )
    copied = ok(cli("db", "copy", "--to", target, "--json"))
    order = list(copied["tables"])
    assert copied["tables"]["aaa_later_notes"] == 2
    assert order.index("aaa_later_notes") > order.index(
        "support_groups"
    )  # not alphabetical: after its parent
    target_settings = settings_for(env, target)
    assert dbtools.rows(target_settings, "SELECT id, done, note FROM aaa_later_notes ORDER BY id") == [
        {"id": 1, "done": True, "note": "eins"},
        {"id": 2, "done": True, "note": "zwei"},
    ]
    dbtools.execute(
        target_settings, "INSERT INTO aaa_later_notes (group_id, done) VALUES (?, FALSE)", group["id"]
    )
    assert [r["id"] for r in dbtools.rows(target_settings, "SELECT id FROM aaa_later_notes")] == [1, 2, 3]


def test_a_table_that_cannot_be_ordered_stops_the_copy_loudly(
    cli: Cli, env: dict[str, str], settings: Settings, empty_database: Callable[[], str]
) -> None:
    ok(cli("group", "add", "Trauercafé", "--json"))
    target = empty_database()
    asyncio.run(migrate(target))
    _create_in_both(
        settings,
        target,
        "CREATE TABLE later_tree (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES later_tree (id))",
    )
    message = refused(cli("db", "copy", "--to", target))
    assert "Die Tabellen later_tree verweisen im Kreis oder auf sich selbst" in message
    assert not any(table_rows(settings_for(env, target)).values())


def test_a_table_the_target_does_not_have_stops_the_copy(
    cli: Cli, env: dict[str, str], settings: Settings, empty_database: Callable[[], str]
) -> None:
    ok(cli("group", "add", "Trauercafé", "--json"))
    dbtools.execute(settings, "CREATE TABLE only_here (id INTEGER PRIMARY KEY)")
    target = empty_database()
    message = refused(cli("db", "copy", "--to", target))
    assert "Die Tabelle only_here gibt es nur in einer der beiden Datenbanken" in message


def test_copying_an_installation_that_has_no_database_yet_says_so(
    cli: Cli, tmp_path: Path, env: dict[str, str]
) -> None:
    (Path(env["MEETKIT_DATA_DIR"]) / "meetkit.db").unlink()  # the fixture's initialised database
    message = refused(cli("db", "copy", "--to", f"sqlite:///{tmp_path}/copy.db"))
    assert "gibt es keine Datenbank" in message


def test_a_target_the_user_may_not_create_tables_in_gives_one_clear_line(
    cli: Cli, postgres_cluster: Cluster, empty_database: Callable[[], str]
) -> None:
    ok(cli("group", "add", "Trauercafé", "--json"))
    target = empty_database()
    role = f"limited_{os.getpid()}"
    with psycopg.connect(postgres_cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE ROLE {role} LOGIN")
    try:
        limited = target.replace("postgresql://meetkit@", f"postgresql://{role}@")
        message = refused(cli("db", "copy", "--to", limited))
        assert (
            "Kopieren nicht möglich: permission denied for schema public. Es wurde nichts kopiert." in message
        )
    finally:
        with psycopg.connect(postgres_cluster.url(), autocommit=True) as conn:
            conn.execute(f"DROP ROLE {role}")
