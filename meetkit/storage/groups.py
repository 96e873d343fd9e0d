"""SQL for groups and their retired links and rooms."""

from __future__ import annotations

from collections.abc import Sequence

from meetkit.domain import ids
from meetkit.domain.models import ContactPoint, Group
from meetkit.domain.names import name_key
from meetkit.storage.connection import Connection, Row, in_list
from meetkit.storage.database import utc_now

MAX_ROOM_DRAWS = 100
_COLUMNS = "id, contact_point_id, name, room, member_code, pin, created_at, renewed_at, archived_at"
# Deleted groups stay as rows (their attendance counts in the monthly totals) but are gone everywhere else.
LIVE = "deleted_at IS NULL"
ACTIVE = "deleted_at IS NULL AND archived_at IS NULL"


def _row(row: Row) -> Group:
    return Group(
        id=row["id"],
        name=row["name"],
        room=row["room"],
        member_code=row["member_code"],
        pin=row["pin"],
        contact_point_id=row["contact_point_id"],
        created_at=row["created_at"],
        renewed_at=row["renewed_at"],
        archived_at=row["archived_at"],
    )


def insert(
    conn: Connection,
    *,
    name: str,
    contact_point_id: int | None,
    room: str,
    member_code: str,
    leader_token_hash: str,
    pin: str | None,
) -> Group:
    """Insert a group; raises an integrity error when a random value collides."""
    cursor = conn.execute(
        "INSERT INTO support_groups"
        " (contact_point_id, name, name_key, room, member_code, leader_token_hash, pin, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (contact_point_id, name, name_key(name), room, member_code, leader_token_hash, pin, utc_now()),
    )
    found = by_id(conn, int(cursor.fetchone()[0]))
    assert found is not None
    return found


JOINED = (
    "SELECT g.id, g.contact_point_id, g.name, g.room, g.member_code, g.pin, g.created_at, g.renewed_at,"
    " g.archived_at, c.slug AS cp_slug, c.name AS cp_name, c.phone AS cp_phone,"
    " c.show_group_names AS cp_show_group_names, c.rules_text AS cp_rules_text, c.created_at AS cp_created_at,"
    " c.practice_on_sheet AS cp_practice_on_sheet"
    " FROM support_groups g LEFT JOIN contact_points c ON c.id = g.contact_point_id"
)


def joined_row(row: Row) -> tuple[Group, ContactPoint | None]:
    """A group and its contact point from a row of JOINED."""
    contact_point = None
    if row["contact_point_id"] is not None:
        contact_point = ContactPoint(
            id=row["contact_point_id"],
            slug=row["cp_slug"],
            name=row["cp_name"],
            phone=row["cp_phone"],
            show_group_names=bool(row["cp_show_group_names"]),
            created_at=row["cp_created_at"],
            rules_text=row["cp_rules_text"],
            practice_on_sheet=bool(row["cp_practice_on_sheet"]),
        )
    return _row(row), contact_point


def with_contact_point_by_member_code(
    conn: Connection, member_code: str
) -> tuple[Group, ContactPoint | None] | None:
    """Return the group with this member code and its contact point, in one query (the hot path)."""
    row = conn.execute(f"{JOINED} WHERE g.member_code = ? AND g.{ACTIVE}", (member_code,)).fetchone()
    return joined_row(row) if row else None


def with_contact_points_by_member_codes(
    conn: Connection, member_codes: Sequence[str]
) -> dict[str, tuple[Group, ContactPoint | None]]:
    """The groups with these member codes and their contact points, by code, in one query (the hot path)."""
    marks, values = in_list(member_codes)
    rows = conn.execute(f"{JOINED} WHERE g.member_code IN {marks} AND g.{ACTIVE}", values).fetchall()
    return {row["member_code"]: joined_row(row) for row in rows}


def with_contact_point_by_leader_token_hash(
    conn: Connection, token_hash: str
) -> tuple[Group, ContactPoint | None] | None:
    """Return the group whose leader token has this hash and its contact point, in one query."""
    row = conn.execute(f"{JOINED} WHERE g.leader_token_hash = ? AND g.{ACTIVE}", (token_hash,)).fetchone()
    return joined_row(row) if row else None


def with_contact_point_by_id(conn: Connection, group_id: int) -> tuple[Group, ContactPoint | None] | None:
    """Return the group with this id (not deleted) and its contact point, in one query."""
    row = conn.execute(f"{JOINED} WHERE g.id = ? AND g.{LIVE}", (group_id,)).fetchone()
    return joined_row(row) if row else None


def by_id(conn: Connection, group_id: int) -> Group | None:
    """Return the group with this id, if any (deleted ones are gone)."""
    row = conn.execute(
        f"SELECT {_COLUMNS} FROM support_groups WHERE id = ? AND {LIVE}", (group_id,)
    ).fetchone()
    return _row(row) if row else None


def by_name(conn: Connection, name: str) -> list[Group]:
    """Return the groups (not deleted) with exactly this name."""
    rows = conn.execute(
        f"SELECT {_COLUMNS} FROM support_groups WHERE name = ? AND {LIVE} ORDER BY id", (name,)
    )
    return [_row(r) for r in rows]


def by_pin(conn: Connection, pin: str) -> Group | None:
    """Return the group with this current PIN, if any."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM support_groups WHERE pin = ?", (pin,)).fetchone()
    return _row(row) if row else None


def by_rooms(conn: Connection, rooms: Sequence[str]) -> dict[str, Group]:
    """The groups that own these room names, by room, in one query."""
    marks, values = in_list(rooms)
    rows = conn.execute(f"SELECT {_COLUMNS} FROM support_groups WHERE room IN {marks}", values).fetchall()
    return {row["room"]: _row(row) for row in rows}


def all_(conn: Connection, contact_point_id: int | None = None) -> list[Group]:
    """Return all active groups (not archived or deleted), or those of one contact point, ordered by name."""
    if contact_point_id is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM support_groups WHERE {ACTIVE} ORDER BY name, id")
    else:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM support_groups WHERE contact_point_id = ? AND {ACTIVE} ORDER BY name, id",
            (contact_point_id,),
        )
    return [_row(r) for r in rows]


def renew_secrets(
    conn: Connection,
    group: Group,
    old_leader_token_hash: str,
    *,
    room: str,
    member_code: str,
    member_code_hash_old: str,
    leader_token_hash: str,
    pin: str | None,
) -> Group:
    """Replace a group's room, member code, leader token and PIN, remembering the old ones as retired."""
    now = utc_now()
    conn.executemany(
        "INSERT INTO retired_links (kind, secret_hash, group_id, retired_at) VALUES (?, ?, ?, ?)",
        [("member", member_code_hash_old, group.id, now), ("leader", old_leader_token_hash, group.id, now)],
    )
    if group.pin is not None:
        conn.execute("INSERT INTO retired_pins (pin, retired_at) VALUES (?, ?)", (group.pin, now))
    conn.execute(
        "INSERT INTO retired_rooms (room, group_id, retired_at) VALUES (?, ?, ?)", (group.room, group.id, now)
    )
    conn.execute(
        "UPDATE support_groups SET room = ?, member_code = ?, leader_token_hash = ?, pin = ?, renewed_at = ?"
        " WHERE id = ?",
        (room, member_code, leader_token_hash, pin, now, group.id),
    )
    renewed = by_id(conn, group.id)
    assert renewed is not None
    return renewed


def leader_token_hash_of(conn: Connection, group_id: int) -> str:
    """Return the stored hash of a group's current leader token."""
    row = conn.execute("SELECT leader_token_hash FROM support_groups WHERE id = ?", (group_id,)).fetchone()
    return str(row["leader_token_hash"])


def retired_group_id(conn: Connection, kind: str, secret_hash: str) -> int | None:
    """Return the group a retired member code or leader token belonged to, if any."""
    row = conn.execute(
        "SELECT group_id FROM retired_links WHERE kind = ? AND secret_hash = ?", (kind, secret_hash)
    ).fetchone()
    return int(row["group_id"]) if row else None


def fresh_room(conn: Connection) -> str:
    """Draw random room names until one is neither in use nor retired (writes are serialised, so it stays so)."""
    for _ in range(MAX_ROOM_DRAWS):
        room = ids.new_room_name()
        taken = conn.execute(
            "SELECT 1 FROM support_groups WHERE room = ? UNION ALL SELECT 1 FROM retired_rooms WHERE room = ?",
            (room, room),
        ).fetchone()
        if taken is None:
            return room
    raise RuntimeError(f"no free room name found in {MAX_ROOM_DRAWS} draws")


def rename(conn: Connection, group_id: int, name: str) -> None:
    """Give a group a new name (and the search key that goes with it)."""
    conn.execute(
        "UPDATE support_groups SET name = ?, name_key = ? WHERE id = ?", (name, name_key(name), group_id)
    )


def set_archived(conn: Connection, group_id: int, archived: bool) -> None:
    """Mark a group archived (now) or active again."""
    conn.execute(
        "UPDATE support_groups SET archived_at = ? WHERE id = ?", (utc_now() if archived else None, group_id)
    )


def mark_deleted(conn: Connection, group_id: int) -> None:
    """Mark a group deleted: it stays as a row only for the attendance it already counted."""
    conn.execute("UPDATE support_groups SET deleted_at = ? WHERE id = ?", (utc_now(), group_id))


def clear_pin(conn: Connection, group_id: int) -> None:
    """Take a group's PIN away (it was retired): archived and deleted groups have none."""
    conn.execute("UPDATE support_groups SET pin = NULL WHERE id = ?", (group_id,))


def missing_name_keys(conn: Connection, limit: int) -> list[tuple[int, str]]:
    """Groups from before name keys existed: (id, name), at most `limit`."""
    rows = conn.execute(
        "SELECT id, name FROM support_groups WHERE name_key IS NULL ORDER BY id LIMIT ?", (limit,)
    )
    return [(int(r["id"]), str(r["name"])) for r in rows]


def set_name_keys(conn: Connection, keys: list[tuple[int, str]]) -> None:
    """Store name keys: (id, key) pairs."""
    conn.executemany("UPDATE support_groups SET name_key = ? WHERE id = ?", [(key, i) for i, key in keys])


def replace_leader_token(conn: Connection, group_id: int, old_hash: str, new_hash: str) -> None:
    """Give a group a new leader token, remembering the old one as retired (member link and PIN stay)."""
    conn.execute(
        "INSERT INTO retired_links (kind, secret_hash, group_id, retired_at) VALUES ('leader', ?, ?, ?)",
        (old_hash, group_id, utc_now()),
    )
    conn.execute("UPDATE support_groups SET leader_token_hash = ? WHERE id = ?", (new_hash, group_id))
