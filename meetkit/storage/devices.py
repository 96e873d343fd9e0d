"""SQL for a contact point's devices (kiosk tablets among them): device and pairing tokens only as hashes."""

from __future__ import annotations

from meetkit.domain.devices import Device
from meetkit.storage.connection import Connection, Row
from meetkit.storage.database import utc_now

_COLUMNS = (
    "id, contact_point_id, name, paired_at, pairing_expires_at, revoked, revoked_at, created_at,"
    " kind, serial_number, notes, last_seen_at"
)


def _row(row: Row) -> Device:
    return Device(
        id=row["id"],
        contact_point_id=row["contact_point_id"],
        name=row["name"],
        paired_at=row["paired_at"],
        pairing_expires_at=row["pairing_expires_at"],
        revoked=bool(row["revoked"]),
        revoked_at=row["revoked_at"],
        created_at=row["created_at"],
        kind=row["kind"],
        serial_number=row["serial_number"],
        notes=row["notes"],
        last_seen_at=row["last_seen_at"],
    )


def insert(
    conn: Connection,
    contact_point_id: int,
    name: str,
    pairing_hash: str | None,
    pairing_expires_at: str | None,
    *,
    kind: str = "tablet",
    serial_number: str | None = None,
    notes: str | None = None,
) -> Device:
    """Store a new, not yet paired device (with its open pairing link, if it gets one)."""
    cursor = conn.execute(
        "INSERT INTO devices (contact_point_id, name, pairing_hash, pairing_expires_at, revoked, created_at,"
        " kind, serial_number, notes) VALUES (?, ?, ?, ?, FALSE, ?, ?, ?, ?) RETURNING id",
        (contact_point_id, name, pairing_hash, pairing_expires_at, utc_now(), kind, serial_number, notes),
    )
    found = by_id(conn, int(cursor.fetchone()[0]))
    assert found is not None
    return found


def by_id(conn: Connection, device_id: int) -> Device | None:
    """Return the device with this id, if any."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM devices WHERE id = ?", (device_id,)).fetchone()
    return _row(row) if row else None


def by_name(conn: Connection, name: str) -> list[Device]:
    """Return the devices with exactly this name."""
    return [
        _row(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM devices WHERE name = ? ORDER BY id", (name,))
    ]


def by_token_hash(conn: Connection, token_hash: str) -> Device | None:
    """Return the device whose device token has this hash, revoked or not."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM devices WHERE token_hash = ?", (token_hash,)).fetchone()
    return _row(row) if row else None


def by_pairing_hash(conn: Connection, pairing_hash: str) -> Device | None:
    """Return the device whose unused pairing link has this hash, if any."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM devices WHERE pairing_hash = ?", (pairing_hash,)).fetchone()
    return _row(row) if row else None


def all_(conn: Connection, contact_point_id: int | None = None) -> list[Device]:
    """Return all devices, or those of one contact point, ordered by name."""
    if contact_point_id is None:
        rows = conn.execute(f"SELECT {_COLUMNS} FROM devices ORDER BY name, id")
    else:
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM devices WHERE contact_point_id = ? ORDER BY name, id",
            (contact_point_id,),
        )
    return [_row(r) for r in rows]


def open_pairing(conn: Connection, device_id: int, pairing_hash: str, expires_at: str) -> None:
    """Give a device a new pairing link (replacing an unused one)."""
    conn.execute(
        "UPDATE devices SET pairing_hash = ?, pairing_expires_at = ? WHERE id = ?",
        (pairing_hash, expires_at, device_id),
    )


def pair(conn: Connection, device_id: int, token_hash: str) -> None:
    """Use up the pairing link and store the new device token (the previous one stops working)."""
    conn.execute(
        "UPDATE devices SET token_hash = ?, paired_at = ?, pairing_hash = NULL, pairing_expires_at = NULL"
        " WHERE id = ?",
        (token_hash, utc_now(), device_id),
    )


def revoke(conn: Connection, device_id: int) -> None:
    """Revoke a device for good: its token and any open pairing link stop working at once."""
    conn.execute(
        "UPDATE devices SET revoked = TRUE, revoked_at = ?, pairing_hash = NULL, pairing_expires_at = NULL"
        " WHERE id = ? AND revoked = FALSE",
        (utc_now(), device_id),
    )


def update_details(
    conn: Connection, device_id: int, name: str, kind: str, serial_number: str | None, notes: str | None
) -> None:
    """Change a device's label, kind, serial number and notes."""
    conn.execute(
        "UPDATE devices SET name = ?, kind = ?, serial_number = ?, notes = ? WHERE id = ?",
        (name, kind, serial_number, notes, device_id),
    )


def mark_seen(conn: Connection, device_id: int, now: str, earlier_than: str) -> None:
    """Note that the kiosk page asked at `now`, unless that was noted at `earlier_than` or later already."""
    conn.execute(
        "UPDATE devices SET last_seen_at = ? WHERE id = ? AND (last_seen_at IS NULL OR last_seen_at <= ?)",
        (now, device_id, earlier_than),
    )
