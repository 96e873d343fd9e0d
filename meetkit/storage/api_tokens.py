"""SQL for staff API tokens (stored as hashes only) and the contact points a staff token may see."""

from __future__ import annotations

from meetkit.domain.models import ApiToken
from meetkit.storage.connection import Connection, Row
from meetkit.storage.database import utc_now


def insert(
    conn: Connection, name: str, token_hash: str, contact_point_ids: tuple[int, ...] | None
) -> ApiToken:
    """Store a new token's hash under a name for people, as an admin token (None) or for contact points."""
    now = utc_now()
    role = "admin" if contact_point_ids is None else "staff"
    cursor = conn.execute(
        "INSERT INTO api_tokens (name, token_hash, created_at, role) VALUES (?, ?, ?, ?) RETURNING id",
        (name, token_hash, now, role),
    )
    token_id = int(cursor.fetchone()[0])
    for contact_point_id in contact_point_ids or ():
        conn.execute(
            "INSERT INTO api_token_contact_points (token_id, contact_point_id) VALUES (?, ?)",
            (token_id, contact_point_id),
        )
    return ApiToken(token_id, name, now, None, contact_point_ids)


def valid_by_hash(conn: Connection, token_hash: str) -> ApiToken | None:
    """The unrevoked token with this hash, with its scope, or None."""
    row = conn.execute(
        "SELECT id, name, created_at, revoked_at, role FROM api_tokens"
        " WHERE token_hash = ? AND revoked_at IS NULL",
        (token_hash,),
    ).fetchone()
    if row is None:
        return None
    rows = conn.execute(
        "SELECT contact_point_id FROM api_token_contact_points WHERE token_id = ? ORDER BY contact_point_id",
        (row["id"],),
    )
    return _token(row, {row["id"]: [r["contact_point_id"] for r in rows]})


def all_(conn: Connection) -> list[ApiToken]:
    """Return every token's record with its scope (never the token itself)."""
    rows = conn.execute(
        "SELECT id, name, created_at, revoked_at, role FROM api_tokens ORDER BY id"
    ).fetchall()
    scopes: dict[int, list[int]] = {}
    for link in conn.execute(
        "SELECT token_id, contact_point_id FROM api_token_contact_points ORDER BY contact_point_id"
    ):
        scopes.setdefault(link["token_id"], []).append(link["contact_point_id"])
    return [_token(r, scopes) for r in rows]


def revoke(conn: Connection, token_id: int) -> bool:
    """Revoke a token by id; return whether one was revoked."""
    cursor = conn.execute(
        "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (utc_now(), token_id)
    )
    return cursor.rowcount == 1


def _token(row: Row, scopes: dict[int, list[int]]) -> ApiToken:
    contact_point_ids = None if row["role"] == "admin" else tuple(scopes.get(row["id"], ()))
    return ApiToken(row["id"], row["name"], row["created_at"], row["revoked_at"], contact_point_ids)
