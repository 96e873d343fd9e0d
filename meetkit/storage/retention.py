"""SQL for retention: old meetings and their kept totals, old audit entries, expired links and sessions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from meetkit.domain.meeting_figures import MeetingRecord
from meetkit.domain.monthly_report import ArchivedWeek
from meetkit.domain.report_lines import Totals
from meetkit.domain.retention import Cutoffs, Kind
from meetkit.storage.connection import Connection, plain_rows
from meetkit.storage.meetings import meeting_columns, meeting_from_row

_IN_CHUNK = 500

# Each kind: (how many rows would go, delete at most `limit` of them and return how many went).
_COUNT: dict[Kind, tuple[str, Callable[[Cutoffs], tuple[str, ...]]]] = {
    Kind.MEETINGS: (
        "SELECT count(*) FROM meeting_sessions WHERE meeting_date < ?",
        lambda c: (c.meetings_before,),
    ),
    Kind.AUDIT_ENTRIES: ("SELECT count(*) FROM audit_log WHERE at < ?", lambda c: (c.audit_before,)),
    Kind.SETUP_LINKS: (
        "SELECT count(*) FROM staff_setup_links WHERE expires_at < ?",
        lambda c: (c.links_expired_before,),
    ),
    Kind.PAIRING_LINKS: (
        "SELECT count(*) FROM devices WHERE pairing_expires_at < ?",
        lambda c: (c.links_expired_before,),
    ),
    Kind.STAFF_SESSIONS: (
        "SELECT count(*) FROM staff_sessions WHERE last_seen_at < ? OR created_at < ?",
        lambda c: (c.sessions_idle_before, c.sessions_created_before),
    ),
    Kind.LOGIN_FAILURES: (
        "SELECT count(*) FROM staff_login_failures WHERE last_failed_at < ?",
        lambda c: (c.login_failures_before,),
    ),
}

_DELETE: dict[Kind, tuple[str, Callable[[Cutoffs], tuple[str, ...]]]] = {
    Kind.AUDIT_ENTRIES: (
        "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY id LIMIT ?)",
        lambda c: (c.audit_before,),
    ),
    Kind.SETUP_LINKS: (
        "DELETE FROM staff_setup_links WHERE token_hash IN"
        " (SELECT token_hash FROM staff_setup_links WHERE expires_at < ? LIMIT ?)",
        lambda c: (c.links_expired_before,),
    ),
    Kind.PAIRING_LINKS: (
        "UPDATE devices SET pairing_hash = NULL, pairing_expires_at = NULL WHERE id IN"
        " (SELECT id FROM devices WHERE pairing_expires_at < ? LIMIT ?)",
        lambda c: (c.links_expired_before,),
    ),
    Kind.STAFF_SESSIONS: (
        "DELETE FROM staff_sessions WHERE id_hash IN"
        " (SELECT id_hash FROM staff_sessions WHERE last_seen_at < ? OR created_at < ? LIMIT ?)",
        lambda c: (c.sessions_idle_before, c.sessions_created_before),
    ),
    Kind.LOGIN_FAILURES: (
        "DELETE FROM staff_login_failures WHERE login_hash IN"
        " (SELECT login_hash FROM staff_login_failures WHERE last_failed_at < ? LIMIT ?)",
        lambda c: (c.login_failures_before,),
    ),
}


def pending(conn: Connection, cutoffs: Cutoffs) -> dict[Kind, int]:
    """How many rows of each kind a purge with these cut-offs would remove."""
    found = {}
    for kind, (sql, params) in _COUNT.items():
        found[kind] = int(plain_rows(conn, sql, params(cutoffs))[0][0])
    return found


def delete_expired(conn: Connection, kind: Kind, cutoffs: Cutoffs, limit: int) -> int:
    """Remove at most `limit` rows of a kind other than meetings; return how many went."""
    sql, params = _DELETE[kind]
    return int(conn.execute(sql, (*params(cutoffs), limit)).rowcount)


def old_meetings(conn: Connection, before: str, limit: int) -> list[tuple[int, MeetingRecord]]:
    """At most `limit` meetings dated before `before` (YYYY-MM-DD), oldest first, with their row ids."""
    rows = conn.execute(
        f"SELECT id, {meeting_columns()} FROM meeting_sessions WHERE meeting_date < ?"
        " ORDER BY meeting_date, id LIMIT ?",
        (before, limit),
    ).fetchall()
    return [(int(row["id"]), meeting_from_row(row)) for row in rows]


def add_totals(conn: Connection, weeks: Sequence[ArchivedWeek]) -> None:
    """Add sums of deleted meetings to the kept monthly totals."""
    conn.executemany(
        "INSERT INTO monthly_totals (group_id, month, week_monday, meetings, participants, online,"
        " in_room_count, phone_count, not_counted) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (group_id, month, week_monday) DO UPDATE SET"
        " meetings = monthly_totals.meetings + excluded.meetings,"
        " participants = monthly_totals.participants + excluded.participants,"
        " online = monthly_totals.online + excluded.online,"
        " in_room_count = monthly_totals.in_room_count + excluded.in_room_count,"
        " phone_count = monthly_totals.phone_count + excluded.phone_count,"
        " not_counted = monthly_totals.not_counted + excluded.not_counted",
        [
            (
                w.group_id,
                w.month,
                w.monday.isoformat(),
                w.totals.meetings,
                w.totals.participants,
                w.totals.online,
                w.totals.in_room,
                w.totals.phone,
                w.not_counted,
            )
            for w in weeks
        ],
    )


def delete_meetings(conn: Connection, ids: Sequence[int]) -> int:
    """Delete meetings by row id; return how many went."""
    gone = 0
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        gone += conn.execute(f"DELETE FROM meeting_sessions WHERE id IN ({marks})", chunk).rowcount
    return gone


def archived_weeks(
    conn: Connection, month: str, group_ids: Sequence[int] | None = None
) -> list[ArchivedWeek]:
    """The kept totals of a month (YYYY-MM), optionally only of some groups."""
    rows = plain_rows(
        conn,
        "SELECT group_id, week_monday, meetings, participants, online, in_room_count, phone_count,"
        " not_counted FROM monthly_totals WHERE month = ?",
        (month,),
    )
    wanted = None if group_ids is None else set(group_ids)
    return [
        ArchivedWeek(
            int(gid), month, dt.date.fromisoformat(monday), Totals(*map(int, figures)), int(not_counted)
        )
        for gid, monday, *figures, not_counted in rows
        if wanted is None or gid in wanted
    ]
