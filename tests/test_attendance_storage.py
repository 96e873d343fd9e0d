"""Storage of sessions: batching, reordering and repeating observations give the same meetings."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from meetkit.domain.attendance import Kind, Observation, observe
from meetkit.domain.attendance_times import iso_utc, round_time
from meetkit.storage.census_counts import apply_census
from meetkit.storage.migrate import migrate
from meetkit.storage.room_sessions import RoomObservation, apply_observations
from meetkit.storage.sqlite import connect as _connect

ROOMS = 6
START = (int(time.time()) - 4 * 3600) // 300 * 300 + 17


def database(path: Path) -> sqlite3.Connection:
    conn = _connect(path)
    conn.execute("PRAGMA synchronous = OFF")  # durability is not what this test is about
    migrate(conn)
    conn.executemany(
        "INSERT INTO support_groups (name, room, member_code, leader_token_hash, created_at)"
        " VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z')",
        [(f"G{i}", f"room-{i}", f"code{i:06d}", f"hash{i}") for i in range(ROOMS)],
    )
    return conn


def meetings(seed: int) -> list[RoomObservation]:
    """For each room a meeting of random length and crowd, from webhooks (created, counts, destroyed)."""
    rng = random.Random(seed)
    items = []
    for group_id in range(1, ROOMS + 1):
        at = START + rng.randrange(0, 600)
        items.append(RoomObservation(group_id, Observation(at, Kind.CREATED, None, at), 2))
        count = 0
        for _ in range(rng.randrange(2, 30)):
            at += rng.randrange(1, 400)
            count = max(0, count + rng.choice((1, 1, 1, -1)))
            items.append(RoomObservation(group_id, Observation(at, Kind.COUNT, count), 2))
        items.append(RoomObservation(group_id, Observation(at + 20, Kind.DESTROYED, 0), 2))
    rng.shuffle(items)  # rooms interleave ...
    return sorted(items, key=lambda item: item.observation.at)  # ... but each arrives in time order


def apply(conn: sqlite3.Connection, items: list[RoomObservation], batch: int) -> list[tuple[object, ...]]:
    for start in range(0, len(items), batch):
        conn.execute("BEGIN IMMEDIATE")
        apply_observations(conn, items[start : start + batch])
        conn.execute("COMMIT")
    return conn.execute(
        "SELECT group_id, meeting_date, started_at, ended_at, peak_online, sources FROM meeting_sessions"
        " ORDER BY group_id"
    ).fetchall()


def test_batch_size_reordering_and_repeats_do_not_change_the_meetings(tmp_path: Path) -> None:
    for seed in range(8):
        items = meetings(seed)
        expected = apply(database(tmp_path / f"one-{seed}.db"), items, 1)
        assert len(expected) == ROOMS
        assert apply(database(tmp_path / f"all-{seed}.db"), items, len(items)) == expected
        assert apply(database(tmp_path / f"some-{seed}.db"), items, 7) == expected
        rng = random.Random(seed)
        messy = items + rng.sample(items, len(items) // 3)
        rng.shuffle(messy)
        assert apply(database(tmp_path / f"messy-{seed}.db"), messy, 5) == expected


def test_room_states_survive_in_the_database(tmp_path: Path) -> None:
    items = meetings(1)
    half = len(items) // 2
    first = database(tmp_path / "restart.db")
    apply(first, items[:half], 3)
    first.close()  # a restart: nothing but the file is kept
    again = _connect(tmp_path / "restart.db")
    assert apply(again, items[half:], 3) == apply(database(tmp_path / "straight.db"), items, 3)


def test_repeated_census_counts_end_as_the_pure_rules_say(tmp_path: Path) -> None:
    """Quiet census polls take a shortcut in storage; the result is what observe() folds to."""
    rng = random.Random(5)
    items = []
    expected: dict[int, tuple[object, ...]] = {}
    for group_id in range(1, ROOMS + 1):
        at, count, state, peak, end = START + group_id, rng.randrange(1, 5), None, 0, 0
        start = at
        for _ in range(60):
            if rng.random() < 0.2:
                count = max(1, count + rng.choice((-1, 1)))
            items.append(RoomObservation(group_id, Observation(at, Kind.COUNT, count, start - 30), 1))
            state, update = observe(state, items[-1].observation)
            if update is not None:
                peak, end = max(peak, update.peak), max(end, update.seen_at or 0)
            at += rng.choice((20, 60, 61, 299, 300))
        assert state is not None
        expected[group_id] = (
            iso_utc(round_time(start - 30)),
            iso_utc(round_time(end)),
            peak,
            state.occupants,
        )
    items.sort(key=lambda item: item.observation.at)
    conn = database(tmp_path / "census.db")
    apply(conn, items, 6)
    rows = conn.execute(
        "SELECT m.group_id, m.started_at, m.ended_at, m.peak_online, s.occupants FROM meeting_sessions m"
        " JOIN room_states s ON s.session_id = m.id ORDER BY m.group_id"
    ).fetchall()
    assert {row[0]: tuple(row[1:]) for row in rows} == expected


def test_a_census_applied_set_based_gives_what_the_fold_gives(tmp_path: Path) -> None:
    """apply_census() takes the common case (open rooms seen again) in SQL; compare with observe()."""
    for seed in range(40):
        rng = random.Random(seed)
        history = meetings(seed)  # rooms in every state: open, closed, recreated ...
        cut = rng.randrange(len(history) // 3, len(history))
        at = history[cut - 1].observation.at + rng.choice((0, 5, 60, 299, 300, 301, 7 * 3600))
        census = [
            (group_id, rng.randrange(0, 12), rng.choice((None, at - rng.randrange(0, 4000))))
            for group_id in range(1, ROOMS + 1)
            if rng.random() < 0.8
        ]
        set_based = database(tmp_path / f"census-{seed}.db")
        folded = database(tmp_path / f"fold-{seed}.db")
        for conn in (set_based, folded):
            apply(conn, history[:cut], 4)
            # a late census: the clock of one room is ahead of the census
            conn.execute("UPDATE room_states SET clock = clock + 1000 WHERE group_id = 2")
        set_based.execute("BEGIN IMMEDIATE")
        apply_census(set_based, at, census, 1)
        set_based.execute("COMMIT")
        listed = {group_id for group_id, _, _ in census}
        is_open = [row[0] for row in folded.execute("SELECT group_id FROM room_states WHERE is_open")]
        folded.execute("BEGIN IMMEDIATE")
        apply_observations(
            folded,
            [RoomObservation(g, Observation(at, Kind.COUNT, n, c), 1) for g, n, c in census]
            + [RoomObservation(g, Observation(at, Kind.GONE), 1) for g in is_open if g not in listed],
        )
        folded.execute("COMMIT")
        for table, columns in [
            ("meeting_sessions", "group_id, meeting_date, started_at, ended_at, peak_online, sources"),
            ("room_states", "group_id, clock, occupants, is_open, opened_at, session_floor, session_id"),
        ]:
            query = f"SELECT {columns} FROM {table} ORDER BY 1, 2"
            assert set_based.execute(query).fetchall() == folded.execute(query).fetchall(), (seed, table)
