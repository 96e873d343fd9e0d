"""SQL for the groups a monthly report covers, with their contact point."""

from __future__ import annotations

from collections.abc import Collection

from meetkit.domain.report_lines import GroupInfo
from meetkit.storage.connection import Connection


def report_groups(conn: Connection, contact_point_ids: Collection[int] | None = None) -> list[GroupInfo]:
    """Return the groups a report covers (all, or those of these contact points) with their contact point."""
    sql = (
        "SELECT g.id, g.name, c.slug, c.name AS cp_name FROM support_groups g"
        " LEFT JOIN contact_points c ON c.id = g.contact_point_id"
    )
    if contact_point_ids is None:
        rows = conn.execute(sql)
    elif not contact_point_ids:
        return []
    else:
        marks = ", ".join("?" for _ in contact_point_ids)
        rows = conn.execute(sql + f" WHERE g.contact_point_id IN ({marks})", tuple(contact_point_ids))
    return [GroupInfo(r["id"], r["name"], r["slug"], r["cp_name"]) for r in rows]
