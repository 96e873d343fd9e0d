"""SQL for meetings (counts and rounded times only) and the per-room ingestion state."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from meetkit.domain.attendance import (
    ROUND_SECONDS,
    STALE_SECONDS,
    Kind,
    Observation,
    RoomState,
    observe,
    worth_saving,
)
from meetkit.domain.attendance_times import iso_utc, local_date, round_time
from meetkit.domain.meeting_figures import MeetingRecord
from meetkit.domain.report_lines import GroupInfo
from meetkit.storage.connection import Connection, Row, plain_rows
from meetkit.storage.database import utc_now

_MEETING_COLUMNS = (
    "group_id, meeting_date, started_at, ended_at, peak_online, in_room_count, phone_count, sources"
)
_IN_CHUNK = 500


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


def group_ids_by_room(conn: Connection) -> dict[str, int]:
    """Return every known room name with its group id."""
    return dict(plain_rows(conn, "SELECT room, id FROM support_groups"))


def retired_room_owners(conn: Connection, since: str) -> dict[str, tuple[int, str]]:
    """Return rooms retired at or after `since` (ISO UTC) whose group still exists: (group id, retired at)."""
    rows = plain_rows(
        conn,
        "SELECT room, group_id, retired_at FROM retired_rooms WHERE group_id IS NOT NULL AND retired_at >= ?",
        (since,),
    )
    return {room: (int(gid), str(retired_at)) for room, gid, retired_at in rows}


def rooms_fingerprint(conn: Connection) -> tuple[int, int, int]:
    """(groups, highest group id, retired rooms): changes whenever a group is added, removed or renewed."""
    count, highest, retired = plain_rows(
        conn,
        "SELECT count(*), COALESCE(max(id), 0), (SELECT count(*) FROM retired_rooms) FROM support_groups",
    )[0]
    return int(count), int(highest), int(retired)


def open_room_group_ids(conn: Connection) -> list[int]:
    """Return the groups whose room is open as far as meetkit knows."""
    return [row[0] for row in plain_rows(conn, "SELECT group_id FROM room_states WHERE is_open")]


class _Stored(NamedTuple):
    """A session row as stored, to tell whether an update would change it."""

    started_at: str | None
    ended_at: str | None
    peak: int
    sources: int


_STATE_QUERY = (
    "SELECT s.group_id, s.clock, s.occupants, s.is_open, s.opened_at, s.session_floor, s.session_id,"
    " m.started_at, m.ended_at, m.peak_online, m.sources"
    " FROM room_states s LEFT JOIN meeting_sessions m ON m.id = s.session_id"
)


def room_states(
    conn: Connection, group_ids: Iterable[int]
) -> tuple[dict[int, RoomState], dict[int, _Stored]]:
    """Return the stored state of these groups' rooms, and their sessions' rows as stored."""
    ids = list(dict.fromkeys(group_ids))
    if len(ids) > 4 * _IN_CHUNK:  # a census of many rooms: one scan beats many look-ups
        wanted = set(ids)
        rows = [row for row in plain_rows(conn, _STATE_QUERY) if row[0] in wanted]
    else:
        rows = []
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            marks = ", ".join("?" * len(chunk))
            rows += plain_rows(conn, f"{_STATE_QUERY} WHERE s.group_id IN ({marks})", chunk)
    states = {row[0]: RoomState(row[1], row[2], bool(row[3]), row[4], row[5], row[6]) for row in rows}
    sessions = {row[6]: _Stored(row[7], row[8], row[9], row[10]) for row in rows if row[7] is not None}
    return states, sessions


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


def apply_observations(conn: Connection, items: Sequence[RoomObservation]) -> None:
    """Fold observations (in arrival order) into room states and meeting rows, with few statements.

    The rows are read and written in the same transaction on the one writer thread, so the merged values
    (earliest start, latest end, highest peak, all sources) are computed here and only rows that change
    are written: a census poll of quiet rooms writes nothing. Sessions opened in the batch get a
    temporary (negative) id until they are written together at the end.
    """
    states, stored = room_states(conn, (item.group_id for item in items))
    saved = dict(states)
    touched: set[int] = set()
    pending: dict[int, _Pending] = {}
    opened: dict[int, tuple[int, str]] = {}  # temporary session id -> (group id, meeting date)
    for item in items:
        before = states.get(item.group_id)
        if _repeats(before, item, stored):
            # What observe() would do for a count an open room already shows, when the session row
            # already holds it: only the clock moves (skipping the rest makes a quiet census cheap).
            assert before is not None
            states[item.group_id] = before._replace(clock=item.observation.at)
            touched.add(item.group_id)
            continue
        step = observe(before, item.observation)
        state, update = step.state, step.update
        if state is None:
            continue
        if update is not None and update.opens:
            temporary = -1 - len(opened)
            opened[temporary] = (item.group_id, local_date(update.opened_at).isoformat())
            pending[temporary] = _Pending(update.opened_at, update.seen_at, update.peak, item.source_bit)
            state = state._replace(session_id=temporary)
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
            touched.add(item.group_id)
    now = utc_now()
    if opened:
        real = _open_sessions(
            conn, {temporary: (*opened[temporary], pending.pop(temporary)) for temporary in opened}
        )
        for gid in touched:
            session_id = states[gid].session_id
            if session_id is not None and session_id < 0:
                states[gid] = states[gid]._replace(session_id=real[session_id])
    updates = []
    for session_id, acc in pending.items():
        row = stored.get(session_id) or _session_row(conn, session_id)
        if row is None:
            continue
        start = _stored(acc.start)
        end = _stored(acc.seen_at) if acc.seen_at is not None else start
        merged = _Stored(
            start if row.started_at is None or start < row.started_at else row.started_at,
            end if row.ended_at is None or end > row.ended_at else row.ended_at,
            max(row.peak, acc.peak),
            row.sources | acc.sources,
        )
        if merged != row:
            updates.append((*merged, now, session_id))
    conn.executemany(
        "UPDATE meeting_sessions SET started_at = ?, ended_at = ?, peak_online = ?, sources = ?, updated_at = ?"
        " WHERE id = ?",
        updates,
    )
    counts, others, new = [], [], []
    for gid in touched:
        state, before = states[gid], saved.get(gid)
        if before is None:
            new.append((*state, gid))
        elif not worth_saving(before, state):
            continue
        elif state[2:] == before[2:]:  # only clock and count moved: the common case, no key to check
            counts.append((state.clock, state.occupants, gid))
        else:
            others.append((*state, gid))
    conn.executemany("UPDATE room_states SET clock = ?, occupants = ? WHERE group_id = ?", counts)
    conn.executemany(
        "UPDATE room_states SET clock = ?, occupants = ?, is_open = ?, opened_at = ?, session_floor = ?,"
        " session_id = ? WHERE group_id = ?",
        others,
    )
    conn.executemany(
        "INSERT INTO room_states (clock, occupants, is_open, opened_at, session_floor, session_id, group_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        new,
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
        {**params, "end": _stored(at), "bit": source_bit, "now": utc_now()},
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


def _repeats(state: RoomState | None, item: RoomObservation, stored: dict[int, _Stored]) -> bool:
    """Whether an observation only repeats the count of an open room, soon after, with nothing to add to
    its session as stored (end, peak, source). Applying it would change nothing but the room's clock."""
    obs = item.observation
    if (
        state is None
        or not state.is_open
        or obs.kind is not Kind.COUNT
        or obs.occupants != state.occupants
        or not state.clock <= obs.at < state.clock + ROUND_SECONDS
        or state.session_id is None
    ):
        return False
    row = stored.get(state.session_id)
    return (
        row is not None
        and row.ended_at is not None
        and row.ended_at >= _stored(obs.at)
        and row.peak >= state.occupants
        and row.sources & item.source_bit == item.source_bit
    )


def _session_row(conn: Connection, session_id: int) -> _Stored | None:
    rows = plain_rows(
        conn,
        "SELECT started_at, ended_at, peak_online, sources FROM meeting_sessions WHERE id = ?",
        (session_id,),
    )
    return _Stored(*rows[0]) if rows else None


@functools.lru_cache(maxsize=4096)
def _stored(seconds: int) -> str:
    """A moment as a session keeps it: UTC, rounded to 5 minutes (cached: a census shares one moment)."""
    return iso_utc(round_time(seconds))


def _open_sessions(conn: Connection, opened: dict[int, tuple[int, str, _Pending]]) -> dict[int, int]:
    """Write sessions opened in a batch, each becoming (or merging into) its group's meeting of that local
    day; return their ids by temporary id."""
    now = utc_now()
    conn.executemany(
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
        " updated_at = excluded.updated_at",
        [
            (
                gid,
                day,
                start,
                _stored(acc.seen_at) if acc.seen_at is not None else start,
                acc.peak,
                acc.sources,
                now,
            )
            for gid, day, acc in opened.values()
            for start in (_stored(acc.start),)
        ],
    )
    wanted = {(gid, day) for gid, day, _ in opened.values()}
    ids: dict[tuple[int, str], int] = {}
    group_ids = sorted({gid for gid, _ in wanted})
    days = sorted({day for _, day in wanted})
    for first in range(0, len(group_ids), _IN_CHUNK):
        chunk = group_ids[first : first + _IN_CHUNK]
        sql = (
            "SELECT id, group_id, meeting_date FROM meeting_sessions"
            f" WHERE meeting_date IN ({', '.join('?' * len(days))})"
            f" AND group_id IN ({', '.join('?' * len(chunk))})"
        )
        for session_id, gid, day in plain_rows(conn, sql, [*days, *chunk]):
            if (gid, day) in wanted:
                ids[(gid, day)] = session_id
    return {temporary: ids[(gid, day)] for temporary, (gid, day, _) in opened.items()}


def room_owners(conn: Connection, rooms: Sequence[str]) -> dict[str, tuple[int, str | None]]:
    """Return the group of each of these room names that is a group's room now (retired at None) or was
    retired from one (with the moment it was retired)."""
    found: dict[str, tuple[int, str | None]] = {}
    for start in range(0, len(rooms), _IN_CHUNK):
        chunk = rooms[start : start + _IN_CHUNK]
        marks = ", ".join("?" * len(chunk))
        for room, gid in plain_rows(
            conn, f"SELECT room, id FROM support_groups WHERE room IN ({marks})", chunk
        ):
            found[room] = (int(gid), None)
        retired = plain_rows(
            conn,
            f"SELECT room, group_id, retired_at FROM retired_rooms WHERE room IN ({marks}) AND group_id IS NOT NULL",
            chunk,
        )
        for room, gid, retired_at in retired:
            found.setdefault(room, (int(gid), str(retired_at)))
    return found
