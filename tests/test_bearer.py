"""Bearer credentials on every route that takes one: bytes that are not ASCII are a wrong token, not a crash."""

from __future__ import annotations

import json

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.domain.failure_budget import BUDGETS, SecretKind
from tests.conftest import SeededGroup
from tests.rawhttp import exchange, request_bytes

Client = TestClient[web.Request, web.Application]

# What aiohttp's client would refuse to send: bytes that are not UTF-8, and UTF-8 that is not ASCII.
BAD_AUTHORIZATIONS = [
    b"Authorization: Bearer \xff\xfe",
    b"Authorization: Bearer mk_\xff\xfe",
    b"Authorization: Bearer mk_\xc3\xa9t\xc3\xa9",
    b"Authorization: Bearer \xe2\x80\x8bsecret",
    b"Authorization: Bearer two words",
    b"Authorization: \xff",
]
ROUTES = {  # route: (method, target, body, the budget that counts its failures)
    "pbx": ("GET", "/jitsi/conference-mapper?id={pin}", b"", SecretKind.PBX_PIN),
    "events": ("POST", "/jitsi/events/room/created", b'{"room_name": "abc"}', SecretKind.EVENTS_SECRET),
    "api": ("GET", "/api/v1/groups", b"", SecretKind.API_TOKEN),
}


async def send(
    client: Client, route: str, group: SeededGroup, authorization: bytes
) -> tuple[int, dict[str, str], bytes]:
    method, target, body, _ = ROUTES[route]
    request = request_bytes(method, target.format(pin=group.pin), [authorization], body)
    answer = await exchange(str(client.host), int(client.port or 0), request)
    return answer.status, answer.headers, answer.body


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("authorization", BAD_AUTHORIZATIONS)
async def test_a_malformed_bearer_token_is_refused_with_401(
    client: Client, group: SeededGroup, route: str, authorization: bytes
) -> None:
    status, headers, body = await send(client, route, group, authorization)
    assert status == 401, body
    assert headers["www-authenticate"] == "Bearer"
    assert json.loads(body)["error"]


@pytest.mark.parametrize("route", sorted(ROUTES))
async def test_malformed_bearer_tokens_count_as_failed_attempts(
    client: Client, group: SeededGroup, route: str
) -> None:
    limit = BUDGETS[ROUTES[route][3]].limits[0].failures
    for attempt in range(limit):
        status, _, _ = await send(client, route, group, BAD_AUTHORIZATIONS[attempt % len(BAD_AUTHORIZATIONS)])
        assert status == 401
    status, _, body = await send(client, route, group, BAD_AUTHORIZATIONS[0])
    assert status == 429 and json.loads(body)["error"]
