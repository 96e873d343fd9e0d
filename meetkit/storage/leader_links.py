"""SQL for what a leader hands out: guest links for one date, hand-over links, and the leader token itself."""

from __future__ import annotations

from dataclasses import dataclass

from meetkit.storage.connection import Connection
from meetkit.storage.database import utc_now


@dataclass(frozen=True, slots=True)
class GuestLink:
    """A guest link of a group for one local date (its token only as a hash)."""

    id: int
    group_id: int
    meeting_date: str
    created_at: str


@dataclass(frozen=True, slots=True)
class Handover:
    """A one-time link that makes its holder the group's leader (its token only as a hash)."""

    id: int
    group_id: int
    expires_at: str
    used_at: str | None
    submission_hash: str | None


def add_guest_link(conn: Connection, group_id: int, token_hash: str, meeting_date: str) -> GuestLink:
    """Store a guest link for one date."""
    cursor = conn.execute(
        "INSERT INTO guest_links (group_id, token_hash, meeting_date, created_at) VALUES (?, ?, ?, ?)"
        " RETURNING id, created_at",
        (group_id, token_hash, meeting_date, utc_now()),
    )
    row = cursor.fetchone()
    return GuestLink(int(row[0]), group_id, meeting_date, str(row[1]))


def guest_links_from(conn: Connection, group_id: int, first_date: str) -> list[GuestLink]:
    """A group's guest links for `first_date` and later, by date."""
    rows = conn.execute(
        "SELECT id, group_id, meeting_date, created_at FROM guest_links WHERE group_id = ? AND meeting_date >= ?"
        " ORDER BY meeting_date, id",
        (group_id, first_date),
    )
    return [GuestLink(r["id"], r["group_id"], r["meeting_date"], r["created_at"]) for r in rows]


def guest_link_by_hash(conn: Connection, token_hash: str) -> GuestLink | None:
    """The guest link whose token has this hash, if any."""
    row = conn.execute(
        "SELECT id, group_id, meeting_date, created_at FROM guest_links WHERE token_hash = ?", (token_hash,)
    ).fetchone()
    return GuestLink(row["id"], row["group_id"], row["meeting_date"], row["created_at"]) if row else None


def delete_guest_link(conn: Connection, group_id: int, guest_link_id: int) -> bool:
    """Withdraw one of a group's guest links; False when it has no such link."""
    cursor = conn.execute("DELETE FROM guest_links WHERE id = ? AND group_id = ?", (guest_link_id, group_id))
    return cursor.rowcount == 1


def delete_guest_links_before(conn: Connection, first_date: str) -> None:
    """Forget guest links for dates before `first_date` (they can never be used again)."""
    conn.execute("DELETE FROM guest_links WHERE meeting_date < ?", (first_date,))


def open_handover(conn: Connection, group_id: int, token_hash: str, expires_at: str) -> None:
    """Store a group's hand-over link, replacing an unused earlier one."""
    conn.execute("DELETE FROM leader_handovers WHERE group_id = ? AND used_at IS NULL", (group_id,))
    conn.execute(
        "INSERT INTO leader_handovers (group_id, token_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (group_id, token_hash, utc_now(), expires_at),
    )


def handover_by_hash(conn: Connection, token_hash: str) -> Handover | None:
    """The hand-over link whose token has this hash, if any."""
    row = conn.execute(
        "SELECT id, group_id, expires_at, used_at, submission_hash FROM leader_handovers WHERE token_hash = ?",
        (token_hash,),
    ).fetchone()
    if row is None:
        return None
    return Handover(row["id"], row["group_id"], row["expires_at"], row["used_at"], row["submission_hash"])


def open_handover_expiry(conn: Connection, group_id: int) -> str | None:
    """When the group's unused hand-over link expires, if it has one."""
    row = conn.execute(
        "SELECT expires_at FROM leader_handovers WHERE group_id = ? AND used_at IS NULL", (group_id,)
    ).fetchone()
    return str(row["expires_at"]) if row else None


def use_handover(conn: Connection, handover_id: int, submission_hash: str) -> bool:
    """Use up a hand-over link; False when it was used already."""
    cursor = conn.execute(
        "UPDATE leader_handovers SET used_at = ?, submission_hash = ? WHERE id = ? AND used_at IS NULL",
        (utc_now(), submission_hash, handover_id),
    )
    return cursor.rowcount == 1


def replace_leader_token(conn: Connection, group_id: int, old_hash: str, new_hash: str) -> None:
    """Give a group a new leader token; the old one is retired (its page then says it was replaced)."""
    conn.execute(
        "INSERT INTO retired_links (kind, secret_hash, group_id, retired_at) VALUES ('leader', ?, ?, ?)",
        (old_hash, group_id, utc_now()),
    )
    conn.execute("UPDATE support_groups SET leader_token_hash = ? WHERE id = ?", (new_hash, group_id))


def room_occupants(conn: Connection, group_id: int) -> int | None:
    """How many are in the group's room now by the census or webhooks (None when no meeting is open)."""
    row = conn.execute(
        "SELECT occupants FROM room_states WHERE group_id = ? AND is_open = TRUE", (group_id,)
    ).fetchone()
    return int(row["occupants"]) if row else None
