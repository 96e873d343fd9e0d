"""SQL that applies one room census, set-based for the rooms seen again (temp table census_counts)."""

from __future__ import annotations

from collections.abc import Sequence

from meetkit.domain.attendance import ROUND_SECONDS, STALE_SECONDS, Kind, Observation
from meetkit.storage.connection import Connection, plain_rows
from meetkit.storage.database import utc_now
from meetkit.storage.room_sessions import (
    RoomObservation,
    apply_observations,
    open_room_group_ids,
    stored_time,
)


def apply_census(
    conn: Connection, at: int, counts: Sequence[tuple[int, int, int | None]], source_bit: int
) -> None:
    """Apply one census taken at `at`: (group id, occupants, created) per listed room; open rooms that are
    not listed have ended.

    Most rooms of a census are open rooms seen again, in order: for them observe() only moves the count
    and the clock, and the session's end and peak. Those are applied set-based, in two statements for all
    of them (tests/test_attendance_storage.py checks that this gives exactly what the fold gives); every
    other room (opening, closing, late, stale) goes through observe() one by one.
    """
    latest: dict[int, tuple[int, int | None]] = {}
    for gid, occupants, created in counts:
        if gid not in latest or occupants > latest[gid][0]:
            latest[gid] = (occupants, created)
    conn.execute(
        "CREATE TEMP TABLE IF NOT EXISTS census_counts"
        " (group_id INTEGER PRIMARY KEY, occupants INTEGER NOT NULL, created INTEGER)"
    )
    conn.execute("DELETE FROM census_counts")
    conn.executemany(
        "INSERT INTO census_counts (group_id, occupants, created) VALUES (?, ?, ?)",
        [(gid, occupants, created) for gid, (occupants, created) in latest.items()],
    )
    # "seen again": open, with a session, observed in order and not after a gap of STALE_SECONDS
    again = (
        " s.group_id = c.group_id AND s.is_open AND s.session_id IS NOT NULL"
        " AND s.clock <= :at AND :at - s.clock <= :stale"
    )
    params = {"at": at, "stale": STALE_SECONDS}
    others = plain_rows(
        conn,
        f"SELECT c.group_id FROM census_counts c WHERE NOT EXISTS (SELECT 1 FROM room_states s WHERE{again})",
        params,
    )
    conn.execute(
        "UPDATE meeting_sessions SET"
        " ended_at = CASE WHEN ended_at IS NULL OR ended_at < :end THEN :end ELSE ended_at END,"
        " peak_online = CASE WHEN peak_online < u.occupants THEN u.occupants ELSE peak_online END,"
        " sources = sources | :bit, updated_at = :now"
        f" FROM (SELECT s.session_id, c.occupants FROM census_counts c, room_states s WHERE{again}) AS u"
        " WHERE meeting_sessions.id = u.session_id"
        " AND (ended_at IS NULL OR ended_at < :end OR peak_online < u.occupants OR sources | :bit <> sources)",
        {**params, "end": stored_time(at), "bit": source_bit, "now": utc_now()},
    )
    # the room's state: as worth_saving() says, only when the count changed or the clock moved 5 minutes
    conn.execute(
        "UPDATE room_states SET clock = :at, occupants = c.occupants FROM census_counts c"
        " WHERE room_states.group_id = c.group_id AND room_states.is_open"
        " AND room_states.session_id IS NOT NULL AND room_states.clock <= :at"
        " AND :at - room_states.clock <= :stale"
        " AND (room_states.occupants <> c.occupants OR :at - room_states.clock >= :slack)",
        {**params, "slack": ROUND_SECONDS},
    )
    items = [
        RoomObservation(gid, Observation(at, Kind.COUNT, latest[gid][0], latest[gid][1]), source_bit)
        for (gid,) in others
    ]
    items += [
        RoomObservation(gid, Observation(at, Kind.GONE), source_bit)
        for gid in open_room_group_ids(conn)
        if gid not in latest
    ]
    apply_observations(conn, items)
