"""Prosody event_sync webhooks: authentication, what is kept, duplicates, reordering, restarts, batching."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import random
import time
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.attendance_times import iso_utc, round_time
from meetkit.domain.scope import OPERATOR
from meetkit.jitsi.events import parse_event
from meetkit.services import attendance, directory
from meetkit.web.app import create_app
from meetkit.web.keys import DATABASE, EVENT_INGESTOR
from tests import dbtools
from tests.conftest import ClientFactory, SeededGroup
from tests.standins.event_sync import EventSyncRoom, meeting, people

Client = TestClient[web.Request, web.Application]
AUTH = {"Authorization": "Bearer events-secret-0123456789abcdef0123456789"}
START = (int(time.time()) - 3 * 3600) // 300 * 300 + 100  # three hours ago, not on a 5-minute mark


async def send(client: Client, path: str, body: Any, headers: dict[str, str] | None = None) -> Any:
    """POST one webhook and return its response."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await client.post(f"/jitsi/events/{path}", data=data, headers=AUTH if headers is None else headers)


async def send_all(client: Client, events: list[tuple[str, dict[str, Any]]]) -> None:
    for path, body in events:
        response = await send(client, path, body)
        assert response.status == 200, await response.text()


def rows(settings: Settings) -> list[dict[str, Any]]:
    return dbtools.rows(settings, "SELECT * FROM meeting_sessions ORDER BY group_id, meeting_date")


async def test_a_meeting_from_webhooks_becomes_one_session(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    await send_all(client, meeting(group.room, START, people(4)))
    [row] = rows(settings)
    assert row["group_id"] == group.id
    assert row["started_at"] == iso_utc(round_time(START))
    assert row["ended_at"] == iso_utc(round_time(START + 5400 + 45))
    assert row["peak_online"] == 4
    assert row["sources"] == 2  # event webhooks
    assert row["in_room_count"] is None and row["phone_count"] is None
    [recorded] = await attendance.last_meetings(client.app[DATABASE], group.id)
    assert recorded.minutes == 90


async def test_duplicated_and_reordered_webhooks_give_the_same_session(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    other = await directory.add_group(client.app[DATABASE], settings, OPERATOR, "Zweite Gruppe")
    events = meeting(group.room, START, people(5))
    await send_all(client, events)
    shuffled = [(path, {**body, "room_name": other.group.room}) for path, body in events]
    shuffled += random.Random(7).sample(shuffled, 6)  # event_sync retries: some arrive twice
    random.Random(3).shuffle(shuffled)
    await send_all(client, shuffled)
    first, second = rows(settings)
    keys = ("meeting_date", "started_at", "ended_at", "peak_online", "sources")
    assert {k: first[k] for k in keys} == {k: second[k] for k in keys}


async def test_concurrent_webhooks_are_all_committed_before_the_answer(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    sync = EventSyncRoom(group.room, START)
    crowd = people(150)
    events = [sync.created()] + [sync.joined(p, START + 10 + i) for i, p in enumerate(crowd)]
    await send(client, *events[0])
    answers = await asyncio.gather(*(send(client, path, body) for path, body in events[1:]))
    assert [a.status for a in answers] == [200] * 150
    assert [await a.json() for a in answers] == [{"recorded": True}] * 150
    [row] = rows(settings)  # read by another connection: committed
    assert row["peak_online"] == 150


async def test_a_steady_stream_of_webhooks_shares_commits(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    """Webhooks a few milliseconds apart (a busy Prosody) are committed together, not one transaction each."""
    sync = EventSyncRoom(group.room, START)
    crowd = people(6)

    async def later(n: int, path: str, body: dict[str, Any]) -> Any:
        await asyncio.sleep(0.003 * n)
        return await send(client, path, body)

    await send(client, *sync.created())
    before = client.app[EVENT_INGESTOR].transactions
    joined = [sync.joined(p, START + 10 + i) for i, p in enumerate(crowd)]
    answers = await asyncio.gather(*(later(n, path, body) for n, (path, body) in enumerate(joined)))
    assert [await a.json() for a in answers] == [{"recorded": True}] * 6
    assert client.app[EVENT_INGESTOR].transactions - before <= 2
    [row] = rows(settings)
    assert row["peak_online"] == 6


async def test_a_restart_in_the_middle_of_a_meeting_keeps_the_session(
    aiohttp_client: ClientFactory, settings: Settings
) -> None:
    before = await aiohttp_client(create_app(settings))
    issued = await directory.add_group(before.app[DATABASE], settings, OPERATOR, "Gruppe")
    events = meeting(issued.group.room, START, people(3))
    await send_all(before, events[:4])  # created, three joined
    await before.close()
    after = await aiohttp_client(create_app(settings))
    await send_all(after, events[4:])
    [row] = rows(settings)
    assert row["started_at"] == iso_utc(round_time(START)) and row["peak_online"] == 3
    assert row["ended_at"] == iso_utc(round_time(START + 5400 + 35))


async def test_unknown_rooms_and_breakout_rooms_are_ignored(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    for path, body in meeting("nicht-von-meetkit", START, people(2)):
        response = await send(client, path, body)
        assert response.status == 200 and await response.json() == {"recorded": False}
    breakout = EventSyncRoom(group.room, START, breakout_room_id="c5f1e2d3-breakout")
    response = await send(client, *breakout.joined(people(1)[0], START + 60))
    assert await response.json() == {"recorded": False}
    assert rows(settings) == []


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 401),
        ({"Authorization": "Basic events-secret-0123456789abcdef0123456789"}, 401),
        ({"Authorization": "Bearer events-secret-0123456789abcdef0123456789-and-more"}, 401),
        ({"Authorization": "Bearer events-secret-0123456789abcdef0123456789"}, 200),
    ],
)
async def test_webhooks_need_the_events_secret(
    client: Client, group: SeededGroup, settings: Settings, headers: dict[str, str], status: int
) -> None:
    response = await send(client, "room/created", EventSyncRoom(group.room, START).created()[1], headers)
    assert response.status == status
    assert "error" in await response.json() or status == 200
    assert (rows(settings) != []) is (status == 200)


async def test_without_a_secret_webhooks_are_refused(
    aiohttp_client: ClientFactory, settings: Settings
) -> None:
    client = await aiohttp_client(create_app(dataclasses.replace(settings, events_secret=None)))
    response = await send(client, "room/created", {"room_name": "x", "created_at": START})
    assert response.status == 403
    assert "MEETKIT_EVENTS_SECRET" in (await response.json())["error"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("occupant/joined", b"not json"),
        ("occupant/joined", b"[1, 2]"),
        ("occupant/joined", b'{"room_name": "abc"}'),  # no count
        ("occupant/left", b'{"room_name": "abc", "active_occupants_count": -1}'),
        ("occupant/left", b'{"room_name": "abc", "active_occupants_count": "3"}'),
        ("occupant/left", b"\xff\xfe"),
    ],
)
async def test_garbage_is_refused_and_the_service_stays_up(
    client: Client, group: SeededGroup, path: str, body: bytes
) -> None:
    response = await send(client, path, body)
    assert response.status == 400 and "error" in await response.json()
    assert (await client.get("/healthz")).status == 200
    assert (await send(client, *EventSyncRoom(group.room, START).created())).status == 200


def test_parsing_keeps_only_room_count_and_time() -> None:
    sync = EventSyncRoom("Raum-ABC", START)
    person = people(1)[0]
    path, body = sync.joined(person, START + 42)
    event = parse_event(path, json.dumps(body).encode(), START + 100)
    assert event is not None
    assert event.room == "raum-abc"
    assert (event.observation.at, event.observation.occupants, event.observation.opened_at) == (
        START + 42,
        1,
        None,
    )
    assert person.name not in repr(event) and person.email not in repr(event)
    path, body = sync.destroyed(START + 900)
    event = parse_event(path, json.dumps(body).encode(), START + 1000)
    assert event is not None and event.observation.at == START + 900 and event.observation.occupants == 0


def test_missing_or_implausible_event_times_fall_back_to_arrival() -> None:
    now = START + 1000
    for created_at in (None, "yesterday", 12, now + 10 * 86400, True):
        body = {"room_name": "abc", "created_at": created_at}
        event = parse_event("room/created", json.dumps(body).encode(), now)
        assert event is not None and event.observation.at == now
