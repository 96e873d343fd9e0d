"""The room census: parsing mod_muc_census answers, the poller's failure handling, polling with the app."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.jitsi.census import CensusError, CensusPoller, CensusRoom, parse_census
from meetkit.services import attendance, directory
from meetkit.web.app import create_app
from meetkit.web.keys import DATABASE
from tests import dbtools
from tests.conftest import ClientFactory, free_port
from tests.standins.jitsi import StandinJitsi, census_of, running

Client = TestClient[web.Request, web.Application]
MUC = "muc.meet.jitsi"


@pytest.fixture
def jitsi() -> Iterator[tuple[StandinJitsi, str]]:
    """A stand-in Prosody answering /room-census from its state."""
    state = StandinJitsi(census={"room_census": []})
    with running(state) as url:
        yield state, url + "/room-census"


def test_the_documented_format_is_parsed() -> None:
    body = json.dumps(
        {
            "room_census": [
                {
                    "room_name": f"abcde-fghij@{MUC}",
                    "participants": 4,
                    "created_time": "1767225600123",
                    "leaked": False,
                },
                {"room_name": f"Klmno-Pqrst@{MUC}", "participants": 0},  # no created_time without the module
                {"room_name": f"leer@{MUC}", "participants": -1, "created_time": "1767225600000"},
                {"room_name": f"geist@{MUC}", "participants": 3, "leaked": True},
                {"room_name": "abcde-fghij@lobby.meet.jitsi", "participants": 2},  # the lobby, not the room
                {"room_name": f"abcde-fghij@breakout.{MUC}", "participants": 2},
            ]
        }
    ).encode()
    assert parse_census(body, MUC) == [
        CensusRoom("abcde-fghij", 4, 1767225600),
        CensusRoom("klmno-pqrst", 0, None),
        CensusRoom("leer", 0, 1767225600),
        CensusRoom("geist", 0, None),
    ]


@pytest.mark.parametrize("empty", [b'{"room_census": []}', b'{"room_census": {}}'])
def test_an_empty_census_may_be_a_list_or_an_object(empty: bytes) -> None:
    assert parse_census(empty, MUC) == []


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        b"<html>Jitsi Meet</html>",
        b"[]",
        b'{"rooms": []}',
        b'{"room_census": "none"}',
        b'{"room_census": [1]}',
        b'{"room_census": [{"room_name": "a@muc.meet.jitsi"}]}',
        b'{"room_census": [{"room_name": 7, "participants": 1}]}',
        b'{"room_census": [{"room_name": "a@muc.meet.jitsi", "participants": true}]}',
        b"\xff\xfe",
    ],
)
def test_garbage_is_a_census_error(garbage: bytes) -> None:
    with pytest.raises(CensusError):
        parse_census(garbage, MUC)


def poller(url: str, handled: list[list[CensusRoom]], timeout: float = 0.5) -> CensusPoller:
    async def handle(rooms: list[CensusRoom], at: int) -> None:
        handled.append(rooms)

    return CensusPoller(url, 0.05, MUC, handle, timeout=timeout)


async def test_failures_are_logged_once_per_streak_and_recovery_once(
    jitsi: tuple[StandinJitsi, str], caplog: pytest.LogCaptureFixture
) -> None:
    state, url = jitsi
    handled: list[list[CensusRoom]] = []
    census = poller(url, handled, timeout=0.2)
    caplog.set_level(logging.DEBUG, logger="meetkit")
    steps: list[tuple[dict[str, Any], bool]] = [
        ({"census": census_of((f"r1@{MUC}", 2))}, True),
        ({"census_status": 503}, False),  # down
        ({"census_status": 200, "delay": 0.5}, False),  # slow
        ({"delay": 0.0, "census": "{garbage"}, False),
        ({"census": None}, False),  # 404 page
        ({"census": census_of((f"r1@{MUC}", 3))}, True),  # recovered
        ({"census": "[]"}, False),  # a new streak
        ({}, False),
    ]
    async with census.client_session() as session:
        for changes, works in steps:
            for name, value in changes.items():
                setattr(state, name, value)
            assert await census.poll_once(session) is works
    messages = [r.getMessage() for r in caplog.records if r.name == "meetkit.census"]
    assert len(messages) == 3, messages
    assert "failed: HTTP 503" in messages[0] and "logging again when it recovers" in messages[0]
    assert "answers again after 4 failed polls" in messages[1]
    assert "failed: the answer has no room_census" in messages[2]
    assert [len(rooms) for rooms in handled] == [1, 1]


async def test_a_census_in_pieces_is_read_whole_and_a_huge_one_is_refused(
    jitsi: tuple[StandinJitsi, str], caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    state, url = jitsi  # the stand-in (not Prosody) sends its answer in 100-byte pieces with pauses
    state.census = census_of(*((f"room{n}@{MUC}", n % 7) for n in range(40)))
    state.chunk_size, state.chunk_pause = 100, 0.002
    handled: list[list[CensusRoom]] = []
    census = poller(url, handled, timeout=5.0)
    async with census.client_session() as session:
        assert await census.poll_once(session) is True
        assert len(handled[0]) == 40
        monkeypatch.setattr("meetkit.jitsi.census.MAX_CENSUS_BYTES", 1024)
        assert await census.poll_once(session) is False
    assert "the answer answered with more than 1 KB" not in caplog.text
    assert "failed: the answer is larger than 1 KB" in caplog.text


async def test_slow_and_unreachable_census_are_explained(
    jitsi: tuple[StandinJitsi, str], caplog: pytest.LogCaptureFixture
) -> None:
    state, url = jitsi
    state.delay = 1.0
    caplog.set_level(logging.WARNING, logger="meetkit.census")
    slow = poller(url, [], timeout=0.1)
    unreachable = poller(f"http://127.0.0.1:{free_port()}/room-census", [])
    started = time.monotonic()
    for census in (slow, unreachable):
        async with census.client_session() as session:
            assert await census.poll_once(session) is False
    assert time.monotonic() - started < 1.0
    text = caplog.text
    assert "no answer within 0.1 s" in text and "cannot connect" in text


async def test_the_app_polls_the_census_and_keeps_counts_of_its_own_rooms(
    aiohttp_client: ClientFactory, settings: Settings, jitsi: tuple[StandinJitsi, str]
) -> None:
    state, url = jitsi
    client = await aiohttp_client(
        create_app(dataclasses.replace(settings, census_url=url, census_interval=0.05))
    )
    db = client.app[DATABASE]
    ours = (await directory.add_group(db, settings, OPERATOR, "Gruppe")).group
    created = str((int(time.time()) - 600) * 1000)
    census: dict[str, Any] = census_of((f"{ours.room}@{MUC}", 3), ("fremder-raum@" + MUC, 9))
    census["room_census"][0]["created_time"] = created
    state.census = census
    await until(lambda: meeting_row(settings) is not None and meeting_row(settings)["peak_online"] == 3)  # type: ignore[index]
    census["room_census"][0]["participants"] = 5
    await until(lambda: meeting_row(settings)["peak_online"] == 5)  # type: ignore[index]
    state.census = {"room_census": {}}  # the room ended
    await until(lambda: not room_open(settings))
    row = meeting_row(settings)
    assert row is not None and row["sources"] == 1 and row["group_id"] == ours.id
    [only] = await attendance.last_meetings(db, ours.id)
    assert only.peak_online == 5
    polls = len(state.requests)
    await client.close()
    await asyncio.sleep(0.2)
    assert len(state.requests) == polls  # the poller stopped with the app


async def test_a_broken_census_leaves_the_service_up(
    aiohttp_client: ClientFactory, settings: Settings, jitsi: tuple[StandinJitsi, str]
) -> None:
    state, url = jitsi
    state.census = "not json at all"
    client = await aiohttp_client(
        create_app(dataclasses.replace(settings, census_url=url, census_interval=0.05))
    )
    await until(lambda: len(state.requests) >= 3)
    assert (await client.get("/healthz")).status == 200


async def test_a_census_of_5000_rooms_is_processed_quickly(settings: Settings, client: Client) -> None:
    """The bench (bench/attendance.py) measures this properly; here a loose bound catches regressions."""
    db = client.app[DATABASE]
    rooms = [f"raum-{i:05d}" for i in range(5000)]

    def seed(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT INTO support_groups (name, room, member_code, leader_token_hash, created_at)"
            " VALUES (?, ?, ?, ?, '2026-01-01T00:00:00Z')",
            [(f"G{i}", room, f"code{i:06d}", f"hash{i}") for i, room in enumerate(rooms)],
        )

    await db.write(seed)
    body = json.dumps(census_of(*((f"{room}@{MUC}", i % 12) for i, room in enumerate(rooms)))).encode()
    now = int(time.time())
    await attendance.ingest_census(db, parse_census(body, MUC), now)  # opens the sessions
    started = time.perf_counter()
    await attendance.ingest_census(db, parse_census(body, MUC), now + 60)
    assert time.perf_counter() - started < 1.0


def meeting_row(settings: Settings) -> dict[str, Any] | None:
    found = dbtools.rows(settings, "SELECT * FROM meeting_sessions")
    return found[0] if found else None


def room_open(settings: Settings) -> bool:
    return bool(dbtools.rows(settings, "SELECT count(*) AS n FROM room_states WHERE is_open")[0]["n"])


async def until(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.02)
