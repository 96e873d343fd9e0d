"""Storage: migrations, WAL, foreign keys, transactions, and durability when the server is killed."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from meetkit.storage.database import Database, migrate


async def test_open_migrates_once_and_uses_wal(tmp_path: Path) -> None:
    db = Database(tmp_path / "m.db")
    await db.open()
    await db.close()
    conn = sqlite3.connect(tmp_path / "m.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == sorted(versions) and versions[0] == 1
    assert migrate(conn) == []  # nothing left to apply


async def test_a_failing_write_rolls_back_everything(tmp_path: Path) -> None:
    db = Database(tmp_path / "m.db")
    await db.open()

    def half_then_fail(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO contact_points (slug, name, show_group_names, created_at) VALUES ('a', 'A', TRUE, 'x')"
        )
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await db.write(half_then_fail)
    count = await db.read(lambda conn: conn.execute("SELECT COUNT(*) FROM contact_points").fetchone()[0])
    await db.close()
    assert count == 0


async def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    db = Database(tmp_path / "m.db")
    await db.open()

    def orphan(conn: sqlite3.Connection) -> None:
        conn.execute(
            "INSERT INTO support_groups (contact_point_id, name, room, member_code, leader_token_hash, created_at)"
            " VALUES (999, 'x', 'r', 'c', 'h', 'now')"
        )

    with pytest.raises(sqlite3.IntegrityError):
        await db.write(orphan)
    await db.close()


async def test_reader_connection_cannot_write(tmp_path: Path) -> None:
    db = Database(tmp_path / "m.db")
    await db.open()
    with pytest.raises(sqlite3.OperationalError):
        await db.read(lambda conn: conn.execute("DELETE FROM contact_points"))
    await db.close()


async def test_killing_the_server_loses_nothing_committed(
    cli: Any, running_server: Any, env: dict[str, str]
) -> None:
    """Create groups over the API against a real server, SIGKILL it, and find every acknowledged group."""
    token = cli("api-token", "add", "t", "--json").json()["token"]
    acknowledged = []
    async with aiohttp.ClientSession(
        running_server.url, headers={"Authorization": f"Bearer {token}"}
    ) as session:
        for n in range(30):
            async with session.post("/api/v1/groups", json={"name": f"G{n}"}) as response:
                assert response.status == 201
                acknowledged.append((await response.json())["id"])
    running_server.process.send_signal(signal.SIGKILL)
    running_server.process.wait()
    conn = sqlite3.connect(Path(env["MEETKIT_DATA_DIR"]) / "meetkit.db")
    stored = {row[0] for row in conn.execute("SELECT id FROM support_groups")}
    assert set(acknowledged) <= stored
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def test_cache_empties_on_this_process_commits_at_once_and_on_others_within_the_recheck(
    tmp_path: Path,
) -> None:
    from meetkit.storage.database import CACHE_RECHECK_SECONDS

    db = Database(tmp_path / "m.db")
    await db.open()
    try:
        db.cache_put("k", b"answer")
        assert db.cache_get("k", bytes) == b"answer"
        assert db.cache_get("k", str) is None  # typed: a value of another kind is not returned

        await db.write(lambda conn: conn.execute("CREATE TABLE t (x INTEGER)"))
        assert db.cache_get("k", bytes) is None  # this process's commit: at once

        db.cache_put("k", b"answer")
        other = sqlite3.connect(tmp_path / "m.db", isolation_level=None)  # like the CLI in another process
        other.execute("INSERT INTO t VALUES (1)")
        other.close()
        await asyncio.sleep(CACHE_RECHECK_SECONDS * 2)
        assert db.cache_get("k", bytes) is None
    finally:
        await db.close()
