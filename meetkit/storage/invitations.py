"""SQL for leader invitations (tokens kept only as hashes)."""

from __future__ import annotations

from meetkit.domain.invitations import Invitation
from meetkit.storage.connection import Connection, Row
from meetkit.storage.database import utc_now

_COLUMNS = "id, contact_point_id, created_by, created_at, expires_at, withdrawn_at, used_at, group_id"


def _row(row: Row) -> Invitation:
    return Invitation(
        id=row["id"],
        contact_point_id=row["contact_point_id"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        withdrawn_at=row["withdrawn_at"],
        used_at=row["used_at"],
        group_id=row["group_id"],
    )


def insert(
    conn: Connection, contact_point_id: int, token_hash: str, created_by: str, expires_at: str
) -> Invitation:
    """Store a new, open invitation."""
    cursor = conn.execute(
        "INSERT INTO leader_invitations (contact_point_id, token_hash, created_by, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?) RETURNING id",
        (contact_point_id, token_hash, created_by, utc_now(), expires_at),
    )
    found = by_id(conn, int(cursor.fetchone()[0]))
    assert found is not None
    return found


def by_id(conn: Connection, invitation_id: int) -> Invitation | None:
    """The invitation with this id, if any."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM leader_invitations WHERE id = ?", (invitation_id,)).fetchone()
    return _row(row) if row else None


def by_token_hash(conn: Connection, token_hash: str) -> Invitation | None:
    """The invitation whose token has this hash, whatever its state."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM leader_invitations WHERE token_hash = ?", (token_hash,)
    ).fetchone()
    return _row(row) if row else None


def submission_hash_of(conn: Connection, invitation_id: int) -> str | None:
    """The hash of the form submission that used an invitation, if it is used."""
    row = conn.execute(
        "SELECT submission_hash FROM leader_invitations WHERE id = ?", (invitation_id,)
    ).fetchone()
    return row["submission_hash"] if row else None


def recent(conn: Connection, contact_point_ids: list[int] | None, since: str) -> list[Invitation]:
    """Invitations of these contact points (all for None) that are open or changed since `since`, newest first."""
    query = (
        f"SELECT {_COLUMNS} FROM leader_invitations WHERE (COALESCE(used_at, withdrawn_at, expires_at) >= ?)"
    )
    params: list[object] = [since]
    if contact_point_ids is not None:
        if not contact_point_ids:
            return []
        query += f" AND contact_point_id IN ({', '.join('?' for _ in contact_point_ids)})"
        params += contact_point_ids
    return [_row(r) for r in conn.execute(query + " ORDER BY created_at DESC, id DESC", params)]


def withdraw(conn: Connection, invitation_id: int) -> bool:
    """Withdraw an open invitation; False when it was used or withdrawn already."""
    cursor = conn.execute(
        "UPDATE leader_invitations SET withdrawn_at = ? WHERE id = ? AND used_at IS NULL AND withdrawn_at IS NULL",
        (utc_now(), invitation_id),
    )
    return cursor.rowcount == 1


def use(conn: Connection, invitation_id: int, group_id: int, submission_hash: str) -> bool:
    """Mark an open invitation as used by the submission that created `group_id`; False if it was not open."""
    cursor = conn.execute(
        "UPDATE leader_invitations SET used_at = ?, group_id = ?, submission_hash = ?"
        " WHERE id = ? AND used_at IS NULL AND withdrawn_at IS NULL",
        (utc_now(), group_id, submission_hash, invitation_id),
    )
    return cursor.rowcount == 1
