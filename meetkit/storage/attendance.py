"""SQL for meetings (counts and rounded times only) and the per-room ingestion state."""

from __future__ import annotations

import datetime as dt
import functools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from meetkit.domain.attendance import (
    GroupInfo,
    MeetingRecord,
    Observation,
    RoomState,
    SessionUpdate,
    iso_utc,
    local_date,
    observe,
    round_time,
)
from meetkit.storage.database import utc_now

_MEETING_COLUMNS = (
    "group_id, meeting_date, started_at, ended_at, peak_online, in_room_count, phone_count, sources"
)
_IN_CHUNK = 500


def _meeting(row: sqlite3.Row) -> MeetingRecord:
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
    conn: sqlite3.Connection,
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
    conn: sqlite3.Connection, first: dt.date, last: dt.date, group_ids: Sequence[int] | None = None
) -> list[MeetingRecord]:
    """Return stored meetings with a date in [first, last], optionally only of some groups."""
    rows = conn.execute(
        f"SELECT {_MEETING_COLUMNS} FROM meeting_sessions WHERE meeting_date BETWEEN ? AND ?"
        " ORDER BY meeting_date, group_id",
        (first.isoformat(), last.isoformat()),
    ).fetchall()
    wanted = None if group_ids is None else set(group_ids)
    return [_meeting(r) for r in rows if wanted is None or r["group_id"] in wanted]


def last_meetings(conn: sqlite3.Connection, group_id: int, limit: int) -> list[MeetingRecord]:
    """Return a group's latest meetings, newest first."""
    rows = conn.execute(
        f"SELECT {_MEETING_COLUMNS} FROM meeting_sessions WHERE group_id = ?"
        " ORDER BY meeting_date DESC LIMIT ?",
        (group_id, limit),
    )
    return [_meeting(r) for r in rows]


def report_groups(conn: sqlite3.Connection, contact_point_id: int | None = None) -> list[GroupInfo]:
    """Return the groups a report covers, with their contact point's slug and name."""
    sql = (
        "SELECT g.id, g.name, c.slug, c.name AS cp_name FROM support_groups g"
        " LEFT JOIN contact_points c ON c.id = g.contact_point_id"
    )
    rows = (
        conn.execute(sql + " WHERE g.contact_point_id = ?", (contact_point_id,))
        if contact_point_id is not None
        else conn.execute(sql)
    )
    return [GroupInfo(r["id"], r["name"], r["slug"], r["cp_name"]) for r in rows]


def group_ids_by_room(conn: sqlite3.Connection) -> dict[str, int]:
    """Return every known room name with its group id."""
    return {row[0]: row[1] for row in conn.execute("SELECT room, id FROM support_groups")}


def group_id_for_room(conn: sqlite3.Connection, room: str) -> int | None:
    """Return the group id owning this room name, if any."""
    row = conn.execute("SELECT id FROM support_groups WHERE room = ?", (room,)).fetchone()
    return int(row[0]) if row else None


def open_room_group_ids(conn: sqlite3.Connection) -> list[int]:
    """Return the groups whose room is open as far as meetkit knows."""
    return [row[0] for row in conn.execute("SELECT group_id FROM room_states WHERE is_open")]


def room_states(conn: sqlite3.Connection, group_ids: Iterable[int]) -> dict[int, RoomState]:
    """Return the stored state of these groups' rooms."""
    ids = list(dict.fromkeys(group_ids))
    found: dict[int, RoomState] = {}
    if len(ids) > 4 * _IN_CHUNK:  # a census of many rooms: one scan beats many look-ups
        wanted = set(ids)
        for row in conn.execute(
            "SELECT group_id, clock, occupants, is_open, opened_at, session_floor, session_id FROM room_states"
        ):
            if row[0] in wanted:
                found[row[0]] = RoomState(row[1], row[2], bool(row[3]), row[4], row[5], row[6])
        return found
    for start in range(0, len(ids), _IN_CHUNK):
        chunk = ids[start : start + _IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(
            "SELECT group_id, clock, occupants, is_open, opened_at, session_floor, session_id"
            f" FROM room_states WHERE group_id IN ({marks})",
            chunk,
        ):
            found[row[0]] = RoomState(row[1], row[2], bool(row[3]), row[4], row[5], row[6])
    return found


@dataclass(slots=True)
class _Pending:
    """Changes to one meeting row, merged over a batch (min start, max end, max peak)."""

    start: int
    seen_at: int | None = None
    peak: int = 0
    sources: int = 0


class RoomObservation(NamedTuple):
    """An observation of one group's room from one source."""

    group_id: int
    observation: Observation
    source_bit: int


def apply_observations(conn: sqlite3.Connection, items: Sequence[RoomObservation]) -> None:
    """Fold observations (in arrival order) into room states and meeting rows, with few statements."""
    states = room_states(conn, (item.group_id for item in items))
    changed: set[int] = set()
    pending: dict[int, _Pending] = {}
    for item in items:
        before = states.get(item.group_id)
        step = observe(before, item.observation)
        state, update = step.state, step.update
        if state is None:
            continue
        if update is not None and update.opens:
            state = state._replace(session_id=_open_session(conn, item.group_id, update, item.source_bit))
        elif update is not None and state.session_id is not None:
            acc = pending.get(state.session_id)
            if acc is None:
                acc = pending[state.session_id] = _Pending(update.opened_at, update.seen_at, update.peak)
            else:
                acc.start = min(acc.start, update.opened_at)
                if update.seen_at is not None and (acc.seen_at is None or update.seen_at > acc.seen_at):
                    acc.seen_at = update.seen_at
                acc.peak = max(acc.peak, update.peak)
            acc.sources |= item.source_bit
        if state != before:
            states[item.group_id] = state
            changed.add(item.group_id)
    now = utc_now()
    # Rows that would not change are filtered by the WHERE clause: a census poll of an unchanged room
    # costs a primary-key look-up, not a page write.
    conn.executemany(
        "UPDATE meeting_sessions SET"
        " started_at = CASE WHEN started_at IS NULL OR started_at > ? THEN ? ELSE started_at END,"
        " ended_at = CASE WHEN ended_at IS NULL OR ended_at < ? THEN ? ELSE ended_at END,"
        " peak_online = CASE WHEN peak_online < ? THEN ? ELSE peak_online END,"
        " sources = sources | ?,"
        " updated_at = ?"
        " WHERE id = ? AND (started_at IS NULL OR started_at > ? OR ended_at IS NULL OR ended_at < ?"
        " OR peak_online < ? OR sources | ? <> sources)",
        [
            (
                start,
                start,
                end,
                end,
                acc.peak,
                acc.peak,
                acc.sources,
                now,
                session_id,
                *(start, end, acc.peak, acc.sources),
            )
            for session_id, acc in pending.items()
            for start in (_stored(acc.start),)
            for end in (_stored(acc.seen_at) if acc.seen_at is not None else start,)
        ],
    )
    conn.executemany(
        "INSERT INTO room_states (group_id, clock, occupants, is_open, opened_at, session_floor, session_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (group_id) DO UPDATE SET clock = excluded.clock, occupants = excluded.occupants,"
        " is_open = excluded.is_open, opened_at = excluded.opened_at,"
        " session_floor = excluded.session_floor, session_id = excluded.session_id",
        [
            (gid, s.clock, s.occupants, s.is_open, s.opened_at, s.floor, s.session_id)
            for gid in changed
            for s in (states[gid],)
        ],
    )


def _stored(seconds: int) -> str:
    """A moment as a session keeps it: UTC, rounded to 5 minutes."""
    return _iso_rounded(round_time(seconds))


@functools.lru_cache(maxsize=1024)
def _iso_rounded(rounded: int) -> str:
    return iso_utc(rounded)


def _open_session(conn: sqlite3.Connection, group_id: int, update: SessionUpdate, source_bit: int) -> int:
    """Start a session: it becomes (or merges into) the group's meeting of that local day."""
    start = _stored(update.opened_at)
    end = _stored(update.seen_at) if update.seen_at is not None else start
    row = conn.execute(
        "INSERT INTO meeting_sessions"
        " (group_id, meeting_date, started_at, ended_at, peak_online, sources, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (group_id, meeting_date) DO UPDATE SET"
        " started_at = CASE WHEN meeting_sessions.started_at IS NULL"
        "   OR excluded.started_at < meeting_sessions.started_at"
        "   THEN excluded.started_at ELSE meeting_sessions.started_at END,"
        " ended_at = CASE WHEN meeting_sessions.ended_at IS NULL"
        "   OR excluded.ended_at > meeting_sessions.ended_at"
        "   THEN excluded.ended_at ELSE meeting_sessions.ended_at END,"
        " peak_online = CASE WHEN excluded.peak_online > meeting_sessions.peak_online"
        "   THEN excluded.peak_online ELSE meeting_sessions.peak_online END,"
        " sources = meeting_sessions.sources | excluded.sources,"
        " updated_at = excluded.updated_at"
        " RETURNING id",
        (
            group_id,
            local_date(update.opened_at).isoformat(),
            start,
            end,
            update.peak,
            source_bit,
            utc_now(),
        ),
    ).fetchone()
    return int(row[0])


def group_ids_for_rooms(conn: sqlite3.Connection, rooms: Sequence[str]) -> dict[str, int]:
    """Return the group id of each of these room names that belongs to a group."""
    found: dict[str, int] = {}
    for start in range(0, len(rooms), _IN_CHUNK):
        chunk = rooms[start : start + _IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        for row in conn.execute(f"SELECT room, id FROM support_groups WHERE room IN ({marks})", chunk):
            found[row[0]] = row[1]
    return found
