"""Storage: migrations, WAL, foreign keys, transactions, and durability when the server is killed."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from meetkit.config import Settings, load_settings
from meetkit.domain.scope import OPERATOR
from meetkit.storage.database import Database, database_for
from meetkit.storage.migrate import migrate
from meetkit.storage.sqlite import CACHE_RECHECK_SECONDS, SqliteDatabase
from tests import dbtools


async def test_open_migrates_once_and_uses_wal(tmp_path: Path) -> None:
    db = SqliteDatabase(tmp_path / "m.db")
    await db.open()
    await db.close()
    conn = sqlite3.connect(tmp_path / "m.db")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    versions = [row[0] for row in conn.execute("SELECT version FROM schema_migrations")]
    assert versions == sorted(versions) and versions[0] == 1
    assert migrate(conn) == []  # nothing left to apply


async def test_a_failing_write_rolls_back_everything(tmp_path: Path) -> None:
    db = SqliteDatabase(tmp_path / "m.db")
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
    db = SqliteDatabase(tmp_path / "m.db")
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
    db = SqliteDatabase(tmp_path / "m.db")
    await db.open()
    with pytest.raises(sqlite3.OperationalError):
        await db.read(lambda conn: conn.execute("DELETE FROM contact_points"))
    await db.close()


async def test_killing_the_server_loses_nothing_committed(
    cli: Any, running_server: Any, env: dict[str, str], tmp_path: Path
) -> None:
    """Create groups over the API against a real server, SIGKILL it, and find every acknowledged group."""
    token = cli("api-token", "add", "t", "--admin", "--json").json()["token"]
    acknowledged: list[int] = []

    async def create(session: aiohttp.ClientSession, n: int) -> None:
        async with session.post("/api/v1/groups", json={"name": f"G{n}"}) as response:
            assert response.status == 201
            acknowledged.append((await response.json())["id"])

    async with aiohttp.ClientSession(
        running_server.url, headers={"Authorization": f"Bearer {token}"}
    ) as session:
        for batch in range(6):  # concurrent writes, then the kill while the last batch may still run
            await asyncio.gather(*(create(session, batch * 5 + n) for n in range(5)))
        pending = [asyncio.create_task(create(session, 100 + n)) for n in range(5)]
        await asyncio.sleep(0.005)
        running_server.process.send_signal(signal.SIGKILL)
        running_server.process.wait()
        await asyncio.gather(*pending, return_exceptions=True)
    settings = load_settings(env, env_file=tmp_path / "no.env")
    stored = {row["id"] for row in dbtools.rows(settings, "SELECT id FROM support_groups")}
    assert len(acknowledged) >= 30 and set(acknowledged) <= stored
    if settings.database_path is not None:
        conn = sqlite3.connect(settings.database_path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def opened(settings: Settings) -> Database:
    db = database_for(settings.database_url)
    await db.open()
    return db


async def test_cache_empties_for_changes_it_shows_in_every_process_and_not_for_counts(
    settings: Settings,
) -> None:
    """Two processes' databases on one store (like two workers): an invalidating commit in either empties
    both caches; a commit that no cached answer shows (attendance, failures) leaves them warm."""
    first, second = await opened(settings), await opened(settings)

    async def eventually_empty(db: Database, key: str) -> bool:
        for _ in range(100):
            if db.cache_get(key, bytes) is None:
                return True
            await asyncio.sleep(0.01)
        return False

    try:
        for db in (first, second):
            assert db.cache_get("k", bytes) is None
            db.cache_put("k", b"answer")
            assert db.cache_get("k", bytes) == b"answer"
            assert db.cache_get("k", str) is None  # typed: a value of another kind is not returned

        create = (
            "INSERT INTO contact_points (slug, name, show_group_names, created_at) VALUES (?, ?, TRUE, ?)"
        )
        await first.write(lambda conn: conn.execute(create, ("a", "A", "x")), invalidates_cache=False)
        await asyncio.sleep(CACHE_RECHECK_SECONDS * 3)
        assert first.cache_get("k", bytes) == b"answer" and second.cache_get("k", bytes) == b"answer"

        await first.write(lambda conn: conn.execute(create, ("b", "B", "x")))
        assert first.cache_get("k", bytes) is None  # this process's commit: at once
        assert await eventually_empty(second, "k")  # the other's: as soon as it hears of it
    finally:
        await first.close()
        await second.close()


async def test_a_value_read_before_an_invalidation_is_not_cached_after_it(settings: Settings) -> None:
    db = await opened(settings)
    try:
        assert db.cache_get("k", bytes) is None  # a miss: the caller goes to read...
        await db.write(lambda conn: conn.execute("UPDATE cache_epoch SET epoch = epoch"))  # ...a commit lands
        db.cache_put("k", b"stale")  # ...and the value read before it arrives
        assert db.cache_get("k", bytes) is None
    finally:
        await db.close()


async def test_a_colliding_random_value_is_drawn_again_on_both_backends(
    client: Any, settings: Settings, group: Any, monkeypatch: Any
) -> None:
    """PostgreSQL refuses a transaction's next statement after an error: the retry needs a savepoint."""
    from meetkit.domain import ids
    from meetkit.services import directory
    from meetkit.web.keys import DATABASE

    codes = iter([group.member_code, "zzzzzzzzzz"])
    monkeypatch.setattr(ids, "new_member_code", lambda: next(codes))
    issued = await directory.add_group(client.app[DATABASE], settings, OPERATOR, "Zweite Gruppe")
    assert issued.group.member_code == "zzzzzzzzzz"


async def test_look_ups_begun_together_share_one_read_and_each_gets_its_own_answer(
    settings: Settings,
) -> None:
    """read_one: each caller gets its own key's answer; on PostgreSQL every key asked in the same turn of the
    loop shares one read (SQLite answers each at once, on the loop), a failed read reaches every caller, and
    a caller that gives up does not take the others' answers with it."""
    db = await opened(settings)
    asked: list[list[str]] = []

    def lengths(conn: Any, keys: Any) -> dict[str, int]:
        asked.append(list(keys))
        return {key: len(key) for key in keys if key != "unknown"}

    def broken(conn: Any, keys: Any) -> dict[str, int]:
        conn.execute("SELECT no_such_column FROM cache_epoch")
        return {}

    try:
        keys = ["a", "bb", "ccc", "unknown", "bb"]
        assert await asyncio.gather(*(db.read_one(lengths, key) for key in keys)) == [1, 2, 3, None, 2]
        if db.dialect == "postgresql":
            assert len(asked) == 1 and sorted(asked[0]) == ["a", "bb", "ccc", "unknown"]
        else:
            assert asked == [[key] for key in keys]

        failed = await asyncio.gather(*(db.read_one(broken, key) for key in "xyz"), return_exceptions=True)
        assert len(failed) == 3 and all(isinstance(error, Exception) for error in failed)

        impatient = asyncio.ensure_future(db.read_one(lengths, "dddd"))
        patient = asyncio.ensure_future(db.read_one(lengths, "dddd"))
        await asyncio.sleep(0)
        impatient.cancel()
        assert await patient == 4
    finally:
        await db.close()


def test_migrations_are_numbered_once_each_without_gaps() -> None:
    """Two branches that both add migration N must be renumbered when merged: a shared number is skipped."""
    from meetkit.storage.migrate import migration_files

    versions = [version for version, _name, _sql in migration_files()]
    assert versions == list(range(1, len(versions) + 1))
