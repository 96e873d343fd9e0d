"""SQL for importing many groups at once: fresh random values checked in bulk, rows inserted in bulk."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from meetkit.domain import ids
from meetkit.domain.models import Group
from meetkit.storage.connection import Connection
from meetkit.storage.database import utc_now

ROWS_PER_STATEMENT = 500  # 7 values a row: 3,500 placeholders, well within SQLite's and PostgreSQL's limits
MAX_DRAWS = 100
WRITTEN_TABLES = ("support_groups",)  # what an import adds rows to (for fresh planner statistics after it)


@dataclass(frozen=True, slots=True)
class NewGroup:
    """A group to insert: its name and the hash of its leader token (the token itself is never stored)."""

    name: str
    leader_token_hash: str


def names_of_contact_point(conn: Connection, contact_point_id: int) -> list[str]:
    """The names of a contact point's groups."""
    rows = conn.execute("SELECT name FROM support_groups WHERE contact_point_id = ?", (contact_point_id,))
    return [str(row["name"]) for row in rows]


def _taken(conn: Connection, sql: str, values: Sequence[str]) -> set[str]:
    taken: set[str] = set()
    for start in range(0, len(values), ROWS_PER_STATEMENT):
        part = list(values[start : start + ROWS_PER_STATEMENT])
        marks = ", ".join("?" * len(part))
        repeats = sql.count("{marks}")
        taken.update(str(row[0]) for row in conn.execute(sql.format(marks=marks), part * repeats))
    return taken


def _fresh(conn: Connection, count: int, draw: Callable[[], str], sql: str) -> list[str]:
    """`count` distinct random values, none of them in use or retired (checked in bulk; writes are serialised)."""
    chosen: list[str] = []
    for _ in range(MAX_DRAWS):
        wanted = count - len(chosen)
        if wanted == 0:
            return chosen
        drawn = list({draw() for _ in range(wanted)} - set(chosen))
        taken = _taken(conn, sql, drawn)
        chosen += [value for value in drawn if value not in taken]
    raise RuntimeError(f"no {count} free values found in {MAX_DRAWS} rounds")


def fresh_rooms(conn: Connection, count: int) -> list[str]:
    """Random room names neither in use nor retired."""
    return _fresh(
        conn,
        count,
        ids.new_room_name,
        "SELECT room FROM support_groups WHERE room IN ({marks})"
        " UNION ALL SELECT room FROM retired_rooms WHERE room IN ({marks})",
    )


def fresh_member_codes(conn: Connection, count: int) -> list[str]:
    """Random member codes not in use (retired ones are kept as hashes and could only collide by chance)."""
    return _fresh(
        conn,
        count,
        ids.new_member_code,
        "SELECT member_code FROM support_groups WHERE member_code IN ({marks})",
    )


def fresh_pins(conn: Connection, count: int, digits: int) -> list[str]:
    """Random dial-in PINs neither in use nor retired."""
    return _fresh(
        conn,
        count,
        lambda: ids.new_pin(digits),
        "SELECT pin FROM support_groups WHERE pin IN ({marks})"
        " UNION ALL SELECT pin FROM retired_pins WHERE pin IN ({marks})",
    )


def insert_many(
    conn: Connection, contact_point_id: int, new: Sequence[NewGroup], pin_digits: int | None
) -> list[Group]:
    """Insert the groups with fresh rooms, member codes and (with `pin_digits`) PINs; return them in order."""
    rooms = fresh_rooms(conn, len(new))
    codes = fresh_member_codes(conn, len(new))
    pins: list[str | None] = list(fresh_pins(conn, len(new), pin_digits)) if pin_digits else [None] * len(new)
    now = utc_now()
    values = [
        (contact_point_id, group.name, room, code, group.leader_token_hash, pin, now)
        for group, room, code, pin in zip(new, rooms, codes, pins, strict=True)
    ]
    made: list[Group] = []
    for start in range(0, len(values), ROWS_PER_STATEMENT):
        part = values[start : start + ROWS_PER_STATEMENT]
        marks = ", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(part))
        cursor = conn.execute(
            "INSERT INTO support_groups"
            " (contact_point_id, name, room, member_code, leader_token_hash, pin, created_at)"
            f" VALUES {marks} RETURNING id, room",
            [value for row in part for value in row],
        )
        id_of_room = {str(row["room"]): int(row["id"]) for row in cursor.fetchall()}
        made += [
            Group(
                id=id_of_room[room],
                name=name,
                room=room,
                member_code=code,
                pin=pin,
                contact_point_id=contact_point_id,
                created_at=now,
                renewed_at=None,
            )
            for _, name, room, code, _, pin, _ in part
        ]
    return made
