"""SQL for the failure budget: failed look-ups by secret and the clients blocked for a while."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from meetkit.storage.connection import Connection, plain_rows

STAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width, so text order is time order


def stamp(seconds: float) -> str:
    """Return unix `seconds` as stored: UTC ISO 8601 with microseconds."""
    return datetime.fromtimestamp(seconds, UTC).strftime(STAMP_FORMAT)


def seconds_of(stored: str) -> float:
    """Return a stored time as unix seconds."""
    return datetime.strptime(stored, STAMP_FORMAT).replace(tzinfo=UTC).timestamp()


def add_failures(conn: Connection, failures: Iterable[tuple[str, str, float]]) -> None:
    """Store failed look-ups, each as (kind, client key, unix seconds)."""
    conn.executemany(
        "INSERT INTO lookup_failures (kind, client, failed_at) VALUES (?, ?, ?)",
        [(kind, client, stamp(at)) for kind, client, at in failures],
    )


def failure_times(conn: Connection, kind: str, client: str, since: float) -> list[float]:
    """Return the times (ascending) of one client's failures of one kind after `since`."""
    rows = plain_rows(
        conn,
        "SELECT failed_at FROM lookup_failures WHERE kind = ? AND client = ? AND failed_at > ? ORDER BY failed_at",
        (kind, client, stamp(since)),
    )
    return [seconds_of(row[0]) for row in rows]


def block(conn: Connection, kind: str, client: str, until: float) -> None:
    """Block a client for one kind until `until`, or longer when it is already blocked longer."""
    conn.execute(
        "INSERT INTO lookup_blocks (kind, client, blocked_until) VALUES (?, ?, ?) "
        "ON CONFLICT (kind, client) DO UPDATE SET blocked_until = CASE "
        "WHEN excluded.blocked_until > lookup_blocks.blocked_until THEN excluded.blocked_until "
        "ELSE lookup_blocks.blocked_until END",
        (kind, client, stamp(until)),
    )


def active_blocks(conn: Connection, now: float) -> list[tuple[str, str, float]]:
    """Return (kind, client key, blocked until) of every block that has not ended at `now`."""
    rows = plain_rows(
        conn, "SELECT kind, client, blocked_until FROM lookup_blocks WHERE blocked_until > ?", (stamp(now),)
    )
    return [(str(kind), str(client), seconds_of(until)) for kind, client, until in rows]


def prune(conn: Connection, failures_before: float, now: float) -> int:
    """Delete failures older than `failures_before` and blocks ended by `now`; return the rows deleted."""
    failures = conn.execute("DELETE FROM lookup_failures WHERE failed_at < ?", (stamp(failures_before),))
    blocks = conn.execute("DELETE FROM lookup_blocks WHERE blocked_until <= ?", (stamp(now),))
    return failures.rowcount + blocks.rowcount
