"""Request bodies are read whole up to a limit, whether they come with a length or in chunks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.web.events import MAX_EVENT_BYTES
from meetkit.web.jsonbody import MAX_JSON_BYTES
from tests.conftest import SeededGroup

Client = TestClient[web.Request, web.Application]
EVENTS_AUTH = {"Authorization": "Bearer events-secret-0123456789abcdef0123456789"}


async def in_pieces(data: bytes, size: int = 4096) -> AsyncIterator[bytes]:
    """Yield `data` in small pieces with pauses: aiohttp sends it chunked, without Content-Length."""
    for start in range(0, len(data), size):
        yield data[start : start + size]
        await asyncio.sleep(0)


def padded(payload: dict[str, object], size: int) -> bytes:
    """`payload` as JSON made `size` bytes long with white space (an extra field would be refused)."""
    base = json.dumps(payload)
    return (base[:-1] + " " * (size - len(base)) + "}").encode()


@pytest.mark.parametrize("chunked", [False, True])
async def test_a_webhook_larger_than_the_limit_gets_a_clear_400(
    client: Client, group: SeededGroup, chunked: bool
) -> None:
    body = padded({"room_name": group.room, "created_at": 1}, MAX_EVENT_BYTES + 50_000)
    data = in_pieces(body) if chunked else body
    response = await client.post("/jitsi/events/room/created", data=data, headers=EVENTS_AUTH)
    assert response.status == 400
    assert (await response.json())[
        "error"
    ] == f"Der Inhalt ist zu groß (höchstens {MAX_EVENT_BYTES // 1024} KB)."


async def test_a_webhook_in_pieces_is_read_whole(client: Client, group: SeededGroup) -> None:
    body = padded({"room_name": group.room, "active_occupants_count": 2}, MAX_EVENT_BYTES - 1000)
    response = await client.post(
        "/jitsi/events/occupant/joined", data=in_pieces(body, 100), headers=EVENTS_AUTH
    )
    assert response.status == 200, await response.text()
    assert await response.json() == {"recorded": True}


@pytest.mark.parametrize("size", [MAX_JSON_BYTES + 1, 300 * 1024])
async def test_an_api_body_larger_than_the_limit_gets_a_clear_400(
    client: Client, api_token: str, size: int
) -> None:
    body = padded({"name": "KISS Fürth"}, size)
    response = await client.post(
        "/api/v1/contact-points", data=in_pieces(body), headers={"Authorization": f"Bearer {api_token}"}
    )
    assert response.status == 400
    assert (await response.json())["error"] == "Der Inhalt ist zu groß (höchstens 64 KB)."


async def test_an_api_body_in_pieces_is_read_whole(client: Client, api_token: str) -> None:
    body = padded({"name": "KISS Fürth"}, MAX_JSON_BYTES - 10)
    response = await client.post(
        "/api/v1/contact-points", data=in_pieces(body, 100), headers={"Authorization": f"Bearer {api_token}"}
    )
    assert response.status == 201, await response.text()
