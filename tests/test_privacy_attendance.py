"""Attendance keeps counts only: personal data in webhooks and census answers ends up nowhere.

Webhook payloads (event_sync sends names, e-mail addresses, user ids, session JIDs and per-person times)
and census answers (with extra fields and rooms named after people) are fed in, well-formed and broken;
then the raw bytes of the database files (main file, -wal, -shm) and every log line are searched.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.web.app import create_app
from tests import dbtools
from tests.conftest import ClientFactory, SeededGroup
from tests.standins.event_sync import EventSyncRoom, Person, meeting, people
from tests.standins.jitsi import StandinJitsi, running

Client = TestClient[web.Request, web.Application]
AUTH = {"Authorization": "Bearer events-secret-0123456789abcdef0123456789"}
MUC = "muc.meet.jitsi"
IPS = ["203.0.113.45", "198.51.100.23", "2001:db8::17"]
START = int(time.time()) - 3 * 3600


def marked_people(marker: str) -> list[Person]:
    return people(3, marker)


def personal_strings(attendees: list[Person]) -> list[str]:
    found = [*IPS, "erika.mustermann", "Mustermann", "@example.org", "@meet.jitsi/", "user-id-"]
    for person in attendees:
        found += [
            person.name,
            person.email,
            person.id,
            person.occupant_jid,
            person.occupant_jid.split("@")[0],
        ]
    return found


def with_extras(body: dict[str, Any]) -> dict[str, Any]:
    """What a newer or modified event_sync might add: addresses and agents, everywhere."""
    extra = {"ip": IPS[0], "user_agent": "Mozilla/5.0 (Erika Mustermann)", "remote": IPS[2]}
    occupant = body.get("occupant")
    if isinstance(occupant, dict):
        body = {**body, "occupant": {**occupant, **extra}}
    return {**body, "client_ip": IPS[1], "moderator_email": "erika.mustermann@example.org"}


def census_with_personal_data(room: str, attendees: list[Person]) -> dict[str, Any]:
    """A census answer with the known room plus rooms and fields that carry personal data."""
    return {
        "room_census": [
            {
                "room_name": f"{room}@{MUC}",
                "participants": 3,
                "created_time": str((START + 30) * 1000),
                "leaked": False,
                "display_names": [p.name for p in attendees],
                "emails": [p.email for p in attendees],
                "occupant_jids": [p.occupant_jid for p in attendees],
                "ip": IPS[0],
            },
            {"room_name": f"erika.mustermann@{MUC}", "participants": 2, "created_time": "1767225600000"},
            {"room_name": f"{IPS[1]}@{MUC}", "participants": 1},
            {"room_name": f"{attendees[0].occupant_jid}", "participants": 1},
        ]
    }


def assert_nowhere(secrets: list[str], *haystacks: bytes | str) -> None:
    for haystack in haystacks:
        data = haystack.encode() if isinstance(haystack, str) else haystack
        leaked = [s for s in secrets if s.encode() in data]
        assert leaked == []


async def post(client: Any, path: str, body: Any) -> int:
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    async with client.post(f"/jitsi/events/{path}", data=data, headers=AUTH) as response:
        await response.read()
        return int(response.status)


async def feed_webhooks(client: Any, room: str, attendees: list[Person]) -> None:
    """A whole meeting, some events repeated, plus broken payloads that still carry personal data."""
    events = [(path, with_extras(body)) for path, body in meeting(room, START, attendees)]
    for path, body in [*events, *events[2:5]]:
        assert await post(client, path, body) == 200
    sync = EventSyncRoom(room, START)
    path, body = sync.joined(attendees[0], START + 100)
    broken = {k: v for k, v in body.items() if k != "active_occupants_count"}
    assert await post(client, path, broken) == 400
    assert await post(client, path, {**body, "active_occupants_count": attendees[0].name}) == 400
    assert await post(client, path, f"{attendees[0].name} {attendees[0].email} {IPS[0]}".encode()) == 400
    for path, body in meeting("erika.mustermann", START, attendees):  # a room that is not meetkit's
        assert await post(client, path, with_extras(body)) == 200


async def test_webhooks_and_census_leave_no_personal_data_in_the_database_or_logs(
    aiohttp_client: ClientFactory,
    settings: Settings,
    group: SeededGroup,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    attendees = marked_people("a")
    state = StandinJitsi(census=census_with_personal_data(group.room, attendees))
    with running(state) as url:
        app = create_app(dataclasses.replace(settings, census_url=url + "/room-census", census_interval=0.05))
        client = await aiohttp_client(app)
        await feed_webhooks(client, group.room, attendees)
        await until(lambda: census_rows(settings) > 0)
        broken = json.dumps(
            {"room_census": [{"room_name": attendees[1].occupant_jid, "participants": IPS[0]}]}
        )
        state.census = broken  # garbage with personal data: the failure is logged, the data is not
        polls = len(state.requests)
        await until(lambda: len(state.requests) >= polls + 2)
        await client.close()
    assert any("room census" in r.getMessage() and "failed" in r.getMessage() for r in caplog.records)
    captured = capfd.readouterr()
    assert_nowhere(
        personal_strings(attendees),
        dbtools.database_bytes(settings),
        caplog.text,
        "\n".join(r.getMessage() for r in caplog.records),
        captured.out,
        captured.err,
    )


def census_rows(settings: Settings) -> int:
    found = dbtools.rows(settings, "SELECT count(*) AS n FROM meeting_sessions WHERE sources & 1 <> 0")
    return int(found[0]["n"])


async def until(condition: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.05)


# --- Against a real `meetkit serve` --------------------------------------------------------------------


@pytest.fixture
def census() -> Iterator[tuple[StandinJitsi, str]]:
    """A stand-in census the real server polls."""
    state = StandinJitsi(census={"room_census": []})
    with running(state) as url:
        yield state, url + "/room-census"


@pytest.fixture
def env(env: dict[str, str], census: tuple[StandinJitsi, str]) -> dict[str, str]:
    """The usual test deployment (on each backend), polling the stand-in census (at once, then every 5 s)."""
    return {**env, "MEETKIT_CENSUS_URL": census[1], "MEETKIT_CENSUS_INTERVAL": "5"}


@pytest.fixture
def seeded(cli: Any, census: tuple[StandinJitsi, str]) -> dict[str, Any]:
    """A group created before the server starts, so that its first census poll already counts it."""
    created = cli("group", "add", "Gruppe", "--json").json()
    census[0].census = census_with_personal_data(created["room"], marked_people("s"))
    return dict(created)


async def test_a_real_server_keeps_no_personal_data_from_webhooks_or_census(
    seeded: dict[str, Any], running_server: Any, settings: Settings
) -> None:
    attendees = marked_people("s")
    await until(lambda: census_rows(settings) > 0, seconds=20)
    async with aiohttp.ClientSession(running_server.url) as session:
        await feed_webhooks(session, seeded["room"], attendees)
    running_server.process.terminate()
    running_server.process.wait(timeout=10)
    logged = running_server.log()
    assert (
        "POST jitsi_event_occupant_joined 200" in logged and "POST jitsi_event_occupant_joined 400" in logged
    )
    assert "polling the room census every 5 s" in logged
    assert_nowhere(personal_strings(attendees), dbtools.database_bytes(settings), logged)
