"""SQL for contact points."""

from __future__ import annotations

from meetkit.domain.models import ContactPoint
from meetkit.storage.connection import Connection, Row
from meetkit.storage.database import utc_now

_COLUMNS = "id, slug, name, phone, show_group_names, created_at, rules_text, practice_on_sheet"


def _row(row: Row) -> ContactPoint:
    return ContactPoint(
        id=row["id"],
        slug=row["slug"],
        name=row["name"],
        phone=row["phone"],
        show_group_names=bool(row["show_group_names"]),
        created_at=row["created_at"],
        rules_text=row["rules_text"],
        practice_on_sheet=bool(row["practice_on_sheet"]),
    )


def insert(conn: Connection, slug: str, name: str, phone: str | None, show_group_names: bool) -> ContactPoint:
    """Insert a contact point; raises an integrity error when the slug is taken."""
    cursor = conn.execute(
        "INSERT INTO contact_points (slug, name, phone, show_group_names, created_at) VALUES (?, ?, ?, ?, ?)"
        " RETURNING id",
        (slug, name, phone, show_group_names, utc_now()),
    )
    found = by_id(conn, int(cursor.fetchone()[0]))
    assert found is not None
    return found


def by_id(conn: Connection, contact_point_id: int) -> ContactPoint | None:
    """Return the contact point with this id, if any."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM contact_points WHERE id = ?", (contact_point_id,)).fetchone()
    return _row(row) if row else None


def by_slug(conn: Connection, slug: str) -> ContactPoint | None:
    """Return the contact point with this slug, if any."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM contact_points WHERE slug = ?", (slug,)).fetchone()
    return _row(row) if row else None


def all_(conn: Connection) -> list[ContactPoint]:
    """Return every contact point ordered by name."""
    return [_row(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM contact_points ORDER BY name, id")]


def update_settings(
    conn: Connection,
    contact_point_id: int,
    *,
    name: str,
    phone: str | None,
    show_group_names: bool,
    rules_text: str | None,
    practice_on_sheet: bool,
) -> None:
    """Store what a contact point's settings page changes."""
    conn.execute(
        "UPDATE contact_points SET name = ?, phone = ?, show_group_names = ?, rules_text = ?,"
        " practice_on_sheet = ? WHERE id = ?",
        (name, phone, show_group_names, rules_text, practice_on_sheet, contact_point_id),
    )
