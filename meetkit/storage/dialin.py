"""SQL for dial-in PINs: finding groups without one and giving them one (look-ups are in groups.py)."""

from __future__ import annotations

from meetkit.domain.ids import new_pin
from meetkit.storage.connection import Connection

MAX_DRAWS = 100


def groups_without_pin(conn: Connection) -> list[int]:
    """Return the ids of active groups that have no PIN yet (created before dial-in was configured).

    Archived and deleted groups have none on purpose: their PIN was retired."""
    rows = conn.execute(
        "SELECT id FROM support_groups WHERE pin IS NULL AND archived_at IS NULL AND deleted_at IS NULL ORDER BY id"
    )
    return [int(row["id"]) for row in rows]


def set_pin_if_missing(conn: Connection, group_id: int, pin: str) -> bool:
    """Give a group this PIN unless it has one; raises an integrity error when the PIN is taken."""
    cursor = conn.execute("UPDATE support_groups SET pin = ? WHERE id = ? AND pin IS NULL", (pin, group_id))
    return cursor.rowcount == 1


def pin_of(conn: Connection, group_id: int) -> str | None:
    """Return a group's current PIN, if any."""
    row = conn.execute("SELECT pin FROM support_groups WHERE id = ?", (group_id,)).fetchone()
    return str(row["pin"]) if row and row["pin"] is not None else None


def fresh_pin(conn: Connection, digits: int) -> str:
    """Draw random PINs until one is neither in use nor retired (writes are serialised, so it stays so)."""
    for _ in range(MAX_DRAWS):
        pin = new_pin(digits)
        taken = conn.execute(
            "SELECT 1 FROM support_groups WHERE pin = ? UNION ALL SELECT 1 FROM retired_pins WHERE pin = ?",
            (pin, pin),
        ).fetchone()
        if taken is None:
            return pin
    raise RuntimeError(f"no free {digits}-digit PIN found in {MAX_DRAWS} draws: raise MEETKIT_PIN_DIGITS")
