"""SQL that folds room observations into room states and meeting rows (the fold is domain/attendance.py)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from meetkit.domain.attendance import ROUND_SECONDS, Kind, Observation, RoomState, observe, worth_saving
from meetkit.domain.attendance_times import iso_utc, local_date, round_time
from meetkit.storage.connection import Connection, plain_rows
from meetkit.storage.database import utc_now

_IN_CHUNK = 500


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
        start = stored_time(acc.start)
        end = stored_time(acc.seen_at) if acc.seen_at is not None else start
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
        and row.ended_at >= stored_time(obs.at)
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
def stored_time(seconds: int) -> str:
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
                stored_time(acc.seen_at) if acc.seen_at is not None else start,
                acc.peak,
                acc.sources,
                now,
            )
            for gid, day, acc in opened.values()
            for start in (stored_time(acc.start),)
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
