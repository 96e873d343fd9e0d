"""Looking into the database behind a test's settings, whichever backend it is (SQLite file or PostgreSQL)."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import dict_row

from meetkit.config import Settings
from meetkit.storage.postgres import translate
from tests.postgres_cluster import server_bin_dir

INTEGRITY_ERRORS = (sqlite3.IntegrityError, psycopg.IntegrityError)


def rows(settings: Settings, sql: str, *params: object) -> list[dict[str, Any]]:
    """Every row of a query (SQLite placeholders), as dicts, read past meetkit's own code."""
    if settings.database_path is not None:
        conn = sqlite3.connect(settings.database_path)
        conn.row_factory = sqlite3.Row
        try:
            return [dict(row) for row in conn.execute(sql, params)]
        finally:
            conn.close()
    with psycopg.connect(settings.database_url, autocommit=True, row_factory=dict_row) as pg:
        return [dict(row) for row in pg.execute(translate(sql), params)]


def execute(settings: Settings, sql: str, *params: object) -> None:
    """Run one statement past meetkit's own code (as another program with access to the database would)."""
    if settings.database_path is not None:
        conn = sqlite3.connect(settings.database_path, isolation_level=None)
        try:
            conn.execute(sql, params)
        finally:
            conn.close()
        return
    with psycopg.connect(settings.database_url, autocommit=True) as pg:
        pg.execute(translate(sql), params)


def schema_columns(settings: Settings) -> list[tuple[str, str]]:
    """(table, column) for every column of every table meetkit created."""
    if settings.database_path is not None:
        conn = sqlite3.connect(settings.database_path)
        try:
            tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return [(t, c[1]) for t in tables for c in conn.execute(f"PRAGMA table_info({t})")]
        finally:
            conn.close()
    found = rows(
        settings,
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'",
    )
    return [(r["table_name"], r["column_name"]) for r in found]


def database_bytes(settings: Settings) -> bytes:
    """All that is stored, raw: SQLite's file with its WAL and shared memory, or PostgreSQL's pg_dump."""
    path = settings.database_path
    if path is not None:
        files = (path, Path(f"{path}-wal"), Path(f"{path}-shm"))
        return b"".join(p.read_bytes() for p in files if p.exists())
    bin_dir = server_bin_dir()
    assert bin_dir is not None
    return subprocess.run(
        [str(bin_dir / "pg_dump"), "--no-owner", settings.database_url], capture_output=True, check=True
    ).stdout
