"""SQL for meetings (counts and rounded times only): hand counts and the meetings reports and pages read."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from meetkit.domain.meeting_figures import MeetingRecord
from meetkit.storage.connection import Connection, Row
from meetkit.storage.database import utc_now

_MEETING_COLUMNS = (
    "group_id, meeting_date, started_at, ended_at, peak_online, in_room_count, phone_count, sources"
)


def meeting_columns() -> str:
    """The columns meeting_from_row() reads, for a SELECT list."""
    return _MEETING_COLUMNS


def meeting_from_row(row: Row) -> MeetingRecord:
    """A meeting from a row with the meeting_columns()."""
    return MeetingRecord(
        group_id=row["group_id"],
        meeting_date=dt.date.fromisoformat(row["meeting_date"]),
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        peak_online=row["peak_online"],
        in_room=row["in_room_count"],
        phone=row["phone_count"],
        sources=row["sources"],
    )


def set_headcount(
    conn: Connection,
    group_id: int,
    meeting_date: dt.date,
    in_room: int | None,
    phone: int | None,
    source_bit: int,
) -> None:
    """Store hand counts for a group's meeting on a day; a given count replaces the old one, None keeps it."""
    conn.execute(
        "INSERT INTO meeting_sessions (group_id, meeting_date, in_room_count, phone_count, sources, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (group_id, meeting_date) DO UPDATE SET"
        " in_room_count = COALESCE(excluded.in_room_count, meeting_sessions.in_room_count),"
        " phone_count = COALESCE(excluded.phone_count, meeting_sessions.phone_count),"
        " sources = meeting_sessions.sources | excluded.sources,"
        " updated_at = excluded.updated_at",
        (group_id, meeting_date.isoformat(), in_room, phone, source_bit, utc_now()),
    )


def meetings_between(
    conn: Connection, first: dt.date, last: dt.date, group_ids: Sequence[int] | None = None
) -> list[MeetingRecord]:
    """Return stored meetings with a date in [first, last], optionally only of some groups."""
    rows = conn.execute(
        f"SELECT {_MEETING_COLUMNS} FROM meeting_sessions WHERE meeting_date BETWEEN ? AND ?"
        " ORDER BY meeting_date, group_id",
        (first.isoformat(), last.isoformat()),
    ).fetchall()
    wanted = None if group_ids is None else set(group_ids)
    return [meeting_from_row(r) for r in rows if wanted is None or r["group_id"] in wanted]


def last_meetings(conn: Connection, group_id: int, limit: int) -> list[MeetingRecord]:
    """Return a group's latest meetings, newest first."""
    rows = conn.execute(
        f"SELECT {_MEETING_COLUMNS} FROM meeting_sessions WHERE group_id = ?"
        " ORDER BY meeting_date DESC LIMIT ?",
        (group_id, limit),
    )
    return [meeting_from_row(r) for r in rows]


def latest_meetings(conn: Connection, group_ids: Sequence[int]) -> dict[int, MeetingRecord]:
    """Each group's latest stored meeting (groups that never met are missing)."""
    if not group_ids:
        return {}
    marks = ", ".join("?" for _ in group_ids)
    rows = conn.execute(
        f"SELECT {_MEETING_COLUMNS} FROM meeting_sessions m WHERE group_id IN ({marks}) AND meeting_date = ("
        " SELECT MAX(meeting_date) FROM meeting_sessions x WHERE x.group_id = m.group_id)",
        list(group_ids),
    )
    return {int(r["group_id"]): meeting_from_row(r) for r in rows}
