"""SQL for staff sign-in sessions (only the SHA-256 of each session id is stored)."""

from __future__ import annotations

from dataclasses import dataclass

from meetkit.storage.connection import Connection


@dataclass(frozen=True, slots=True)
class SessionRow:
    """A stored session: whose it is, whether the sign-in is complete, and its times (ISO strings)."""

    account_id: int
    signed_in: bool
    created_at: str
    last_seen_at: str


def insert(conn: Connection, id_hash: str, account_id: int, signed_in: bool, now: str) -> None:
    """Store a new session."""
    conn.execute(
        "INSERT INTO staff_sessions (id_hash, account_id, signed_in, created_at, last_seen_at) "
        "VALUES (?, ?, ?, ?, ?)",
        (id_hash, account_id, signed_in, now, now),
    )


def by_hash(conn: Connection, id_hash: str) -> SessionRow | None:
    """The session with this id hash, if its account is not disabled."""
    row = conn.execute(
        "SELECT s.account_id, s.signed_in, s.created_at, s.last_seen_at FROM staff_sessions s "
        "JOIN staff_accounts a ON a.id = s.account_id WHERE s.id_hash = ? AND a.disabled_at IS NULL",
        (id_hash,),
    ).fetchone()
    if row is None:
        return None
    return SessionRow(int(row["account_id"]), bool(row["signed_in"]), row["created_at"], row["last_seen_at"])


def touch(conn: Connection, id_hash: str, now: str) -> None:
    """Record that a session was used now."""
    conn.execute("UPDATE staff_sessions SET last_seen_at = ? WHERE id_hash = ?", (now, id_hash))


def delete(conn: Connection, id_hash: str) -> None:
    """End one session."""
    conn.execute("DELETE FROM staff_sessions WHERE id_hash = ?", (id_hash,))


def delete_for_account(conn: Connection, account_id: int) -> int:
    """End every session of an account; return how many."""
    return conn.execute("DELETE FROM staff_sessions WHERE account_id = ?", (account_id,)).rowcount


def prune(conn: Connection, idle_before: str, created_before: str) -> int:
    """Delete sessions idle since before `idle_before` or created before `created_before`."""
    cursor = conn.execute(
        "DELETE FROM staff_sessions WHERE last_seen_at < ? OR created_at < ?", (idle_before, created_before)
    )
    return cursor.rowcount
