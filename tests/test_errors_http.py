"""HTTP errors keep what the protocol needs: a 405 says which methods are allowed."""

from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from tests.conftest import SeededGroup

Client = TestClient[web.Request, web.Application]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/healthz", {"GET", "HEAD"}),
        ("DELETE", "/j/{code}", {"GET", "HEAD"}),
        ("PUT", "/l/{token}/renew", {"POST"}),
        ("DELETE", "/l/{token}/start", {"GET", "POST"}),
        ("POST", "/jitsi/dial-in-numbers", {"GET", "HEAD", "OPTIONS"}),
    ],
)
async def test_405_keeps_the_allow_header(
    client: Client, group: SeededGroup, method: str, path: str, allowed: set[str]
) -> None:
    target = path.format(code=group.member_code, token=group.leader_token)
    response = await client.request(method, target)
    assert response.status == 405
    assert {m.strip() for m in response.headers["Allow"].split(",")} == allowed
    json_answer = response.content_type == "application/json"
    message = (await response.json())["error"] if json_answer else await response.text()
    assert "Diese Aktion ist hier nicht möglich." in message
