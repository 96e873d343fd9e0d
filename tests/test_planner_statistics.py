"""Look-ups stay index probes on PostgreSQL before it has planner statistics (a database just copied or bulk
loaded, until autovacuum's ANALYZE): the staff list's duplicate check by its form, the rest because meetkit
analyzes such tables when it opens the database."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import psycopg

from meetkit.config import Settings
from meetkit.domain.models import Group
from meetkit.storage import group_list, groups
from meetkit.storage.connection import Connection, Cursor, Params
from meetkit.storage.database import database_for, utc_now
from meetkit.storage.transfer import copy_database
from tests.conftest import CliResult

GROUPS = 3_000


class _Recording:
    """A connection that remembers the statements it ran."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.statements: list[tuple[str, Params]] = []

    def execute(self, sql: str, parameters: Params = (), /) -> Cursor:
        self.statements.append((sql, parameters))
        return self.conn.execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Params], /) -> Cursor:
        return self.conn.executemany(sql, parameters)


def _rows_touched(plan: dict[str, Any]) -> int:
    """Rows a plan node and those below it produced or threw away, over all their loops."""
    own = plan["Actual Rows"] * plan["Actual Loops"]
    own += plan.get("Rows Removed by Filter", 0) + plan.get("Rows Removed by Join Filter", 0)
    return int(own) + sum(_rows_touched(child) for child in plan.get("Plans", ()))


def _seed(conn: Connection) -> dict[str, int]:
    now = utc_now()
    for slug in ("kiss-a", "kiss-b"):
        conn.execute(
            "INSERT INTO contact_points (slug, name, created_at) VALUES (?, ?, ?)", (slug, slug, now)
        )
    points = {r["slug"]: r["id"] for r in conn.execute("SELECT id, slug FROM contact_points")}
    special = [
        ("trauer a1", "kiss-a", None, None),
        ("trauer a2", "kiss-a", None, None),
        ("trauer b", "kiss-b", None, None),  # the same name at another contact point
        ("sucht 1", None, None, None),  # two groups of no contact point
        ("sucht 2", None, None, None),
        ("angst active", "kiss-a", None, None),
        ("angst archived", "kiss-a", now, None),
        ("krebs active", "kiss-a", None, None),
        ("krebs deleted", "kiss-a", now, now),
    ]
    made = [
        (points["kiss-a" if n % 2 else "kiss-b"], f"Gruppe {n:05d}", f"gruppe {n:05d}", None, None, n)
        for n in range(GROUPS)
    ] + [
        (points[slug] if slug else None, label, label.split()[0], archived, deleted, GROUPS + i)
        for i, (label, slug, archived, deleted) in enumerate(special)
    ]
    conn.executemany(
        "INSERT INTO support_groups (contact_point_id, name, name_key, archived_at, deleted_at, room,"
        " member_code, leader_token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (cp, name, key, arch, dele, f"room-{n}", f"code-{n}", f"hash-{n}", now)
            for cp, name, key, arch, dele, n in made
        ],
    )
    return {r["name"]: r["id"] for r in conn.execute("SELECT id, name FROM support_groups")}


def _group(conn: Connection, group_id: int) -> Group:
    found = groups.with_contact_point_by_id(conn, group_id)
    assert found is not None
    return found[0]


async def test_the_duplicate_check_is_right_and_probes_the_index_without_planner_statistics(
    settings: Settings,
) -> None:
    db = database_for(settings.database_url)
    await db.open()
    try:
        if db.dialect == "postgresql":  # keep the state of a fresh bulk import: no statistics yet
            await db.write(
                lambda conn: conn.execute("ALTER TABLE support_groups SET (autovacuum_enabled = false)")
            )
        ids = await db.write(_seed)

        def check(conn: Connection) -> tuple[set[int], list[tuple[str, Params]]]:
            names = ["trauer a1", "trauer a2", "trauer b", "sucht 1", "sucht 2", "angst active"]
            names += ["angst archived", "krebs active"] + [f"Gruppe {n:05d}" for n in range(0, 2 * 42, 2)]
            recording = _Recording(conn)
            return group_list.duplicated(
                recording, [_group(conn, ids[n]) for n in names]
            ), recording.statements

        flagged, statements = await db.read(check)
        # the same name at one contact point (or at none); an archived group beside an active one of its name
        # (not the other way round), a deleted one not at all
        assert flagged == {ids[n] for n in ("trauer a1", "trauer a2", "sucht 1", "sucht 2", "angst archived")}
        if db.dialect == "postgresql":
            ((sql, params),) = statements

            def explain(conn: Connection) -> Any:
                analyzed = conn.execute(
                    "SELECT last_autoanalyze FROM pg_stat_user_tables WHERE relname = ?", ("support_groups",)
                )
                assert analyzed.fetchone()[0] is None
                return conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params).fetchone()[0]

            plan = await db.read(explain)
            plan = plan if isinstance(plan, list) else json.loads(plan)
            # 50 groups: a few rows each, not every page row against every group (300,700 rows before the fix)
            assert _rows_touched(plan[0]["Plan"]) < 10 * 50, json.dumps(plan, indent=1)
    finally:
        await db.close()


async def test_opening_a_database_filled_before_analyzes_it_so_member_codes_use_their_index(
    postgres_url: str,
) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute("ALTER TABLE support_groups SET (autovacuum_enabled = false)")
    db = database_for(postgres_url)
    await db.open()
    await db.write(_seed)  # as `meetkit db copy` or a bulk load leaves a database: rows, no statistics
    await db.close()
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        unanalyzed = conn.execute(
            "SELECT reltuples FROM pg_class WHERE relname = 'support_groups'"
        ).fetchone()
    assert unanalyzed is not None and unanalyzed[0] < 0

    db = database_for(postgres_url)
    await db.open()  # what `meetkit serve` does first
    try:

        def look_up(conn: Connection) -> tuple[int, Any]:
            recording = _Recording(conn)
            found = groups.with_contact_points_by_member_codes(recording, ["code-17"])
            ((sql, params),) = recording.statements
            return len(found), conn.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params).fetchone()[0]

        found, plan = await db.read(look_up)
    finally:
        await db.close()
    assert found == 1
    # one row by the unique index, not a scan of every active group (3,009 rows before)
    assert _rows_touched(plan[0]["Plan"]) < 10, json.dumps(plan, indent=1)


def _planned_rows(postgres_url: str, table: str) -> float:
    """The row count PostgreSQL's planner believes `table` has (-1: never analyzed)."""
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        found = conn.execute("SELECT reltuples FROM pg_class WHERE relname = %s", (table,)).fetchone()
    assert found is not None
    return float(found[0])


async def test_a_copy_into_postgresql_leaves_it_with_planner_statistics(
    tmp_path: Path, postgres_url: str
) -> None:
    source_url = f"sqlite:///{tmp_path / 'meetkit.sqlite3'}"
    source = database_for(source_url)
    await source.open()
    try:
        await source.write(_seed)
    finally:
        await source.close()
    result = copy_database(source_url, postgres_url)
    assert dict(result.tables)["support_groups"] == GROUPS + 9
    # a server already running on the target (or its first requests) plans with the real size at once
    assert _planned_rows(postgres_url, "support_groups") == GROUPS + 9
    assert _planned_rows(postgres_url, "contact_points") == 2


def test_a_large_import_gives_postgresql_the_new_size_at_once(
    cli: Callable[..., CliResult], env: dict[str, str], tmp_path: Path
) -> None:
    url = env.get("MEETKIT_DATABASE_URL", "sqlite")
    assert cli("contact-point", "add", "KISS Nord", "--slug", "kiss-nord").returncode == 0
    if url.startswith("postgresql"):  # what a running server sees: statistics of a nearly empty table
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ALTER TABLE support_groups SET (autovacuum_enabled = false)")
            conn.execute("ANALYZE support_groups")
        assert _planned_rows(url, "support_groups") == 0
    (tmp_path / "liste.csv").write_text(
        "Name\n" + "".join(f"Gruppe {n:04d}\n" for n in range(1_200)), encoding="utf-8"
    )
    made = cli("group", "import", str(tmp_path / "liste.csv"), "--contact-point", "kiss-nord", "--json")
    assert made.returncode == 0, made.stderr
    assert len(json.loads(made.stdout)["created"]) == 1_200
    if url.startswith("postgresql"):
        assert _planned_rows(url, "support_groups") == 1_200
