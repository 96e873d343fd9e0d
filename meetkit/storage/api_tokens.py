"""SQL for staff API tokens (stored as hashes only)."""

from __future__ import annotations

from meetkit.domain.models import ApiToken
from meetkit.storage.connection import Connection
from meetkit.storage.database import utc_now


def insert(conn: Connection, name: str, token_hash: str) -> ApiToken:
    """Store a new token's hash under a name for people."""
    now = utc_now()
    cursor = conn.execute(
        "INSERT INTO api_tokens (name, token_hash, created_at) VALUES (?, ?, ?) RETURNING id",
        (name, token_hash, now),
    )
    return ApiToken(id=int(cursor.fetchone()[0]), name=name, created_at=now, revoked_at=None)


def is_valid(conn: Connection, token_hash: str) -> bool:
    """Whether an unrevoked token has this hash."""
    row = conn.execute(
        "SELECT 1 FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL", (token_hash,)
    ).fetchone()
    return row is not None


def all_(conn: Connection) -> list[ApiToken]:
    """Return every token's record (never the token itself)."""
    rows = conn.execute("SELECT id, name, created_at, revoked_at FROM api_tokens ORDER BY id")
    return [ApiToken(r["id"], r["name"], r["created_at"], r["revoked_at"]) for r in rows]


def revoke(conn: Connection, token_id: int) -> bool:
    """Revoke a token by id; return whether one was revoked."""
    cursor = conn.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (utc_now(), token_id)
    )
    return cursor.rowcount == 1
