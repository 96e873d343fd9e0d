"""SQL for the privacy report's overview: how much of what is stored (counts and the oldest meeting only)."""

from __future__ import annotations

from meetkit.storage.connection import Connection, plain_rows


def overview(conn: Connection) -> tuple[int, int, int, str | None]:
    """(staff accounts, groups, devices, date of the oldest stored meeting or None)."""
    row = plain_rows(
        conn,
        "SELECT (SELECT count(*) FROM staff_accounts), (SELECT count(*) FROM support_groups),"
        " (SELECT count(*) FROM devices), (SELECT min(meeting_date) FROM meeting_sessions)",
    )[0]
    return int(row[0]), int(row[1]), int(row[2]), row[3]
