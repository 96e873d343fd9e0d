"""Staff JSON API: token auth, operations, clear errors, OpenAPI document."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.domain.scope import OPERATOR
from meetkit.web.app import ROUTE_MODULES

Client = TestClient[web.Request, web.Application]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_api_needs_a_valid_token(client: Client, api_token: str) -> None:
    assert (await client.get("/api/v1/groups")).status == 401
    wrong = await client.get("/api/v1/groups", headers=auth("mk_wrong"))
    assert wrong.status == 401 and "unbekannt" in (await wrong.json())["error"]
    assert (await client.get("/api/v1/groups", headers=auth(api_token))).status == 200


async def test_revoked_token_stops_working(client: Client, api_token: str) -> None:
    from meetkit.services.api_tokens import revoke_api_token
    from meetkit.web.keys import DATABASE

    await revoke_api_token(client.app[DATABASE], OPERATOR, 1)
    assert (await client.get("/api/v1/groups", headers=auth(api_token))).status == 401


async def test_create_list_and_rotate(client: Client, api_token: str) -> None:
    headers = auth(api_token)
    cp = await client.post("/api/v1/contact-points", json={"name": "KISS Nürnberg"}, headers=headers)
    assert cp.status == 201 and (await cp.json())["slug"] == "kiss-nuernberg"
    created = await client.post(
        "/api/v1/groups", json={"name": "Trauer", "contact_point": "kiss-nuernberg"}, headers=headers
    )
    assert created.status == 201
    group = await created.json()
    assert {"id", "room", "member_url", "leader_url", "pin"} <= set(group)

    listed = await (await client.get("/api/v1/groups?contact_point=kiss-nuernberg", headers=headers)).json()
    assert [g["id"] for g in listed["groups"]] == [group["id"]]
    shown = await (await client.get(f"/api/v1/groups/{group['id']}", headers=headers)).json()
    assert shown["member_url"] == group["member_url"] and "leader_url" not in shown

    rotated = await client.post(f"/api/v1/groups/{group['id']}/rotate", headers=headers)
    renewed = await rotated.json()
    assert renewed["member_url"] != group["member_url"] and renewed["leader_url"] != group["leader_url"]
    member_path = group["member_url"].removeprefix("https://treffen.example.org")
    assert (await client.get(member_path)).status == 404


async def test_bad_input_gets_clear_errors_and_stores_nothing(client: Client, api_token: str) -> None:
    headers = auth(api_token)
    cases = [
        (b"{not json", 400, "kein gültiges JSON"),
        (b"[1, 2]", 400, "JSON-Objekt"),
        (b'{"name": 5}', 400, "muss Text sein"),
        (b"{}", 400, "fehlt"),
        (b'{"name": ""}', 400, "leer"),
        (('{"name": "' + "x" * 10_000 + '"}').encode(), 400, "zu lang"),
        (b'{"name": "G", "contact_point": "nope"}', 404, "Keine Kontaktstelle"),
    ]
    for body, status, message in cases:
        response = await client.post(
            "/api/v1/groups", data=body, headers={**headers, "Content-Type": "application/json"}
        )
        assert response.status == status, body[:40]
        assert message in (await response.json())["error"]
    assert (await (await client.get("/api/v1/groups", headers=headers)).json())["groups"] == []
    assert (await client.get("/api/v1/groups/999", headers=headers)).status == 404
    assert (await client.post("/api/v1/groups/999/rotate", headers=headers)).status == 404


async def test_openapi_document_describes_every_api_route(client: Client) -> None:
    response = await client.get("/api/v1/openapi.json")
    assert response.status == 200
    doc = await response.json()
    assert doc["openapi"].startswith("3.")
    documented = {
        (path, method.upper()) for path, operations in doc["paths"].items() for method in operations
    }
    served = set()
    for module in ROUTE_MODULES:
        for route in module.routes:
            path = getattr(route, "path", "")
            if path.startswith("/api/v1/") and path != "/api/v1/openapi.json":
                served.add((path.removeprefix("/api/v1").replace("{id:[0-9]+}", "{id}"), route.method))  # type: ignore[attr-defined]
    assert served and served <= documented


async def test_a_body_sent_in_small_chunks_is_read_whole(client: Client, api_token: str) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        body = b'{"name": "' + b"Trauer" * 500 + b'"}'
        for start in range(0, len(body), 7):
            yield body[start : start + 7]
            await asyncio.sleep(0)

    response = await client.post(
        "/api/v1/groups", data=chunks(), headers={**auth(api_token), "Content-Type": "application/json"}
    )
    assert response.status == 400 and "zu lang" in (await response.json())["error"]  # parsed, then judged
    small = await client.post("/api/v1/groups", data=_small_chunks(), headers=auth(api_token))
    assert small.status == 201, await small.text()


async def _small_chunks() -> AsyncIterator[bytes]:
    for piece in (b'{"na', b'me": "Tr', b"auer", b'caf\xc3\xa9"}'):
        yield piece
        await asyncio.sleep(0.01)


async def test_oversized_bodies_are_refused(client: Client, api_token: str) -> None:
    response = await client.post(
        "/api/v1/groups", data=b'{"name": "' + b"x" * 70_000 + b'"}', headers=auth(api_token)
    )
    assert response.status in (400, 413)
