"""SQL for which group a Jitsi room belongs to: its room now, or one retired from it."""

from __future__ import annotations

from collections.abc import Sequence

from meetkit.storage.connection import Connection, plain_rows

_IN_CHUNK = 500


def group_ids_by_room(conn: Connection) -> dict[str, int]:
    """Return every known room name with its group id."""
    return dict(plain_rows(conn, "SELECT room, id FROM support_groups"))


def retired_room_owners(conn: Connection, since: str) -> dict[str, tuple[int, str]]:
    """Return rooms retired at or after `since` (ISO UTC) whose group still exists: (group id, retired at)."""
    rows = plain_rows(
        conn,
        "SELECT room, group_id, retired_at FROM retired_rooms WHERE group_id IS NOT NULL AND retired_at >= ?",
        (since,),
    )
    return {room: (int(gid), str(retired_at)) for room, gid, retired_at in rows}


def rooms_fingerprint(conn: Connection) -> tuple[int, int, int]:
    """(groups, highest group id, retired rooms): changes whenever a group is added, removed or renewed."""
    count, highest, retired = plain_rows(
        conn,
        "SELECT count(*), COALESCE(max(id), 0), (SELECT count(*) FROM retired_rooms) FROM support_groups",
    )[0]
    return int(count), int(highest), int(retired)


def room_owners(conn: Connection, rooms: Sequence[str]) -> dict[str, tuple[int, str | None]]:
    """Return the group of each of these room names that is a group's room now (retired at None) or was
    retired from one (with the moment it was retired)."""
    found: dict[str, tuple[int, str | None]] = {}
    for start in range(0, len(rooms), _IN_CHUNK):
        chunk = rooms[start : start + _IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        for room, gid in plain_rows(
            conn, f"SELECT room, id FROM support_groups WHERE room IN ({marks})", chunk
        ):
            found[room] = (int(gid), None)
        retired = plain_rows(
            conn,
            f"SELECT room, group_id, retired_at FROM retired_rooms WHERE room IN ({marks}) AND group_id IS NOT NULL",
            chunk,
        )
        for room, gid, retired_at in retired:
            found.setdefault(room, (int(gid), str(retired_at)))
    return found
