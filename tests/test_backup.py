"""`meetkit backup -o FILE` while `meetkit serve` takes writes, and restoring it as docs/deploy.md says."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import stat
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from meetkit.config import Settings
from meetkit.storage.backup import find_pg_dump
from tests import dbtools
from tests.conftest import CliResult, RunningServer, free_port
from tests.postgres_cluster import Cluster

Cli = Callable[..., CliResult]
SEEDED_GROUPS = 8000  # a few MiB: SQLite copies it in several steps while the server writes


def ok(result: CliResult) -> Any:
    """The JSON a successful command printed."""
    assert result.returncode == 0, result.stderr
    return result.json()


def refused(result: CliResult) -> str:
    """The one-line error of a refused command (status 2, no traceback)."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(("meetkit: Fehler: ", "meetkit: error: ")), result.stderr
    return lines[0]


def seed_many_groups(settings: Settings) -> None:
    """Thousands of groups in one statement, so the database is several MiB."""
    dbtools.execute(
        settings,
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
        " INSERT INTO support_groups (name, room, member_code, leader_token_hash, created_at)"
        " SELECT 'Gruppe ' || CAST(i AS TEXT), 'seed-room-' || CAST(i AS TEXT), 'seed-code-' || CAST(i AS TEXT),"
        " 'seed-hash-' || CAST(i AS TEXT) || '-0123456789abcdef0123456789abcdef0123456789abcdef', '2026-01-01T00:00:00Z'"
        " FROM n",
        SEEDED_GROUPS,
    )
    if settings.database_path is not None:  # the writes that follow stay in SQLite's WAL for a while
        dbtools.execute(settings, "PRAGMA wal_checkpoint(TRUNCATE)")


class Writer(threading.Thread):
    """Staff creating groups through the API, one after another, noting each id the server acknowledged."""

    def __init__(self, server: RunningServer, token: str) -> None:
        super().__init__(daemon=True)
        address = urllib.parse.urlsplit(server.url)
        self.host, self.port = address.hostname or "", address.port or 80
        self.token = token
        self.acknowledged: list[int] = []
        self.errors: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        """Write until told to stop."""
        number = 0
        while not self.stop.is_set():
            number += 1
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                body = json.dumps({"name": f"Laufend {number}"}).encode()
                headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}
                conn.request("POST", "/api/v1/groups", body=body, headers=headers)
                response = conn.getresponse()
                answer = response.read()
                if response.status == 201:
                    self.acknowledged.append(int(json.loads(answer)["id"]))
                else:
                    self.errors.append(f"{response.status}: {answer[:200]!r}")
            except OSError as error:
                self.errors.append(repr(error))
            finally:
                conn.close()

    def wait_for(self, count: int, timeout: float = 60) -> None:
        """Block until `count` writes in all are acknowledged."""
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count:
            assert not self.errors, self.errors
            assert time.monotonic() < deadline, "the server stopped acknowledging writes"
            time.sleep(0.02)


def restore(
    backend: str, backup: Path, env: dict[str, str], tmp_path: Path, cluster: Cluster | None
) -> dict[str, str]:
    """Restore as docs/deploy.md says, into a fresh data dir (and a fresh PostgreSQL database): its environment."""
    restored = tmp_path / "restored-data"
    restored.mkdir(mode=0o700)
    shutil.copy2(Path(env["MEETKIT_DATA_DIR"]) / "secret.key", restored / "secret.key")
    values = {**env, "MEETKIT_DATA_DIR": str(restored)}
    if backend == "sqlite":
        shutil.copy2(backup, restored / "meetkit.db")
        return values
    assert cluster is not None
    with psycopg.connect(cluster.url(), autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE restored_{os.getpid()}")
    url = cluster.url(f"restored_{os.getpid()}")
    subprocess.run(
        [
            cluster.tool("pg_restore"),
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={url}",
            str(backup),
        ],
        check=True,
        capture_output=True,
    )
    return {**values, "MEETKIT_DATABASE_URL": url}


def test_a_backup_while_the_server_takes_writes_restores_every_acknowledged_record(
    cli: Cli,
    env: dict[str, str],
    settings: Settings,
    backend: str,
    running_server: RunningServer,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    token = ok(cli("api-token", "add", "Verwaltung", "--admin", "--json"))["token"]
    seed_many_groups(settings)
    writer = Writer(running_server, token)
    writer.start()
    try:
        writer.wait_for(5)
        acknowledged_before = list(writer.acknowledged)
        backup = tmp_path / "meetkit-backup"
        made = ok(cli("backup", "-o", str(backup), "--json"))
        writer.wait_for(len(writer.acknowledged) + 3)  # the server went on acknowledging writes
    finally:
        writer.stop.set()
        writer.join(timeout=60)
    assert not writer.errors, writer.errors
    assert made["file"] == str(backup) and made["bytes"] == backup.stat().st_size
    assert made["secret_key_file"] == str(Path(env["MEETKIT_DATA_DIR"]) / "secret.key")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600  # group names: for the operator only
    assert not list(tmp_path.glob(".meetkit-backup*"))

    cluster = request.getfixturevalue("postgres_cluster") if backend == "postgresql" else None
    restored_env = restore(backend, backup, env, tmp_path, cluster)
    groups = ok(cli("group", "list", "--json", extra_env=restored_env))["groups"]
    ids = {g["id"] for g in groups}
    running = [g["id"] for g in groups if g["name"].startswith("Laufend ")]
    assert set(acknowledged_before) <= ids  # everything acknowledged before the backup began is in it
    assert len([g for g in groups if g["name"].startswith("Gruppe ")]) == SEEDED_GROUPS
    # one consistent moment: exactly the first writes, none missing in between, none made up
    assert sorted(running) == writer.acknowledged[: len(running)]


def test_an_existing_file_is_kept_unless_forced(cli: Cli, tmp_path: Path) -> None:
    ok(cli("group", "add", "Trauercafé", "--json"))
    backup = tmp_path / "backup.db"
    backup.write_bytes(b"last week's backup")
    message = refused(cli("backup", "-o", str(backup)))
    assert "gibt es schon. Mit --force wird die Datei überschrieben." in message
    assert backup.read_bytes() == b"last week's backup"
    english = refused(cli("backup", "-o", str(backup), extra_env={"LANG": "en_US.UTF-8"}))
    assert "exists already. Use --force to overwrite it." in english

    forced = cli("backup", "-o", str(backup), "--force")
    assert forced.returncode == 0, forced.stderr
    assert backup.read_bytes() != b"last week's backup" and backup.stat().st_size > 0


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("{tmp}/no/such/folder/backup.db", "Den Ordner {tmp}/no/such/folder gibt es nicht."),
        ("{tmp}/a-file/backup.db", "{tmp}/a-file ist kein Ordner."),
        ("{tmp}", "{tmp} ist ein Ordner; bitte einen Dateinamen angeben."),
        ("/proc/meetkit-backup.db", "In /proc kann keine Datei angelegt werden"),
    ],
)
def test_an_unwritable_path_gives_one_clear_line(cli: Cli, tmp_path: Path, where: str, expected: str) -> None:
    ok(cli("group", "add", "Trauercafé", "--json"))
    (tmp_path / "a-file").write_text("not a folder")
    message = refused(cli("backup", "-o", where.format(tmp=tmp_path)))
    assert expected.format(tmp=tmp_path) in message
    assert not list(tmp_path.rglob("*.partial"))


@pytest.mark.sqlite_only
def test_no_database_yet_is_said_plainly(cli: Cli, tmp_path: Path, env: dict[str, str]) -> None:
    (Path(env["MEETKIT_DATA_DIR"]) / "meetkit.db").unlink()  # the fixture's initialised database
    message = refused(cli("backup", "-o", str(tmp_path / "backup.db")))
    assert "gibt es keine Datenbank, also nichts zu sichern" in message
    assert not (tmp_path / "backup.db").exists()


@pytest.mark.sqlite_only
def test_an_unreachable_postgresql_leaves_no_file(cli: Cli, tmp_path: Path) -> None:
    url = f"postgresql://meetkit:geheim@127.0.0.1:{free_port()}/meetkit"
    message = refused(cli("backup", "-o", str(tmp_path / "x.dump"), extra_env={"MEETKIT_DATABASE_URL": url}))
    assert "pg_dump ist fehlgeschlagen" in message and "Connection refused" in message
    assert "geheim" not in message
    assert not list(tmp_path.glob("*x.dump*"))


def test_pg_dump_is_found_on_path_or_the_newest_under_debians_folders(tmp_path: Path) -> None:
    for version in ("9.6", "15", "13"):
        program = tmp_path / "lib" / version / "bin" / "pg_dump"
        program.parent.mkdir(parents=True)
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    pattern = str(tmp_path / "lib" / "*" / "bin" / "pg_dump")
    assert (
        find_pg_dump(search_path=str(tmp_path / "empty"), pattern=pattern) == tmp_path / "lib/15/bin/pg_dump"
    )
    assert (
        find_pg_dump(search_path=str(tmp_path / "lib/13/bin"), pattern=pattern)
        == tmp_path / "lib/13/bin/pg_dump"
    )
    assert find_pg_dump(search_path=str(tmp_path / "empty"), pattern=str(tmp_path / "none" / "*")) is None
