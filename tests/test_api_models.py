"""The staff API's typed models: odd input is refused with a clear German message, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from aiohttp import web
from aiohttp.test_utils import TestClient

from tests.conftest import CliResult, SeededGroup

Client = TestClient[web.Request, web.Application]
TOO_BIG = [str(2**63), str(2**64), "9" * 40]


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


async def test_ids_beyond_64_bits_are_simply_not_found(
    client: Client, group: SeededGroup, api_token: str
) -> None:
    headers = auth(api_token)
    for number in TOO_BIG:
        for method, path in [
            ("GET", f"/api/v1/groups/{number}"),
            ("POST", f"/api/v1/groups/{number}/rotate"),
            ("GET", f"/api/v1/groups/{number}/schedule"),
            ("DELETE", f"/api/v1/groups/{number}/schedule"),
            ("POST", f"/api/v1/devices/{number}/pairing"),
            ("POST", f"/api/v1/devices/{number}/revoke"),
        ]:
            response = await client.request(method, path, headers=headers)
            assert response.status == 404, (method, path, await response.text())
            assert "nicht gefunden" in (await response.json())["error"]


async def test_digits_that_are_not_ascii_are_refused(
    client: Client, group: SeededGroup, api_token: str
) -> None:
    headers = auth(api_token)
    url = f"/api/v1/groups/{group.id}/schedule"
    for query in ("?next=²", "?next=١", "?next=+3", "?next=3_0", "?next=" + "9" * 5000):
        response = await client.get(url + query, headers=headers)
        assert response.status == 400, query
        assert (await response.json())["error"] == (
            "Der Parameter 'next' (Anzahl der nächsten Termine) muss eine ganze Zahl von 0 bis 100 sein."
        )
    report = await client.get("/api/v1/reports/attendance?month=2026-11&min_count=²", headers=headers)
    assert report.status == 400 and "'min_count'" in (await report.json())["error"]
    weekday = await client.put(
        url, json={"frequency": "weekly", "weekday": "²", "start": "19:00"}, headers=headers
    )
    assert weekday.status == 400 and "Wochentag" in (await weekday.json())["error"]
    nth = await client.put(
        url, json={"frequency": "monthly", "weekday": 1, "nth": "³", "start": "19:00"}, headers=headers
    )
    assert nth.status == 400 and "1 bis 5" in (await nth.json())["error"]
    assert (await (await client.get(url, headers=headers)).json())["schedule"] is None  # nothing half-written


async def test_hostile_json_gets_a_clear_400_and_stores_nothing(client: Client, api_token: str) -> None:
    headers = auth(api_token)
    deep = b'{"name": "Trauer", "contact_point": ' + b"[" * 3000 + b"]" * 3000 + b"}"
    cases = [
        (deep, "zu tief verschachtelt"),
        (b"[" * 3000 + b"]" * 3000, "zu tief verschachtelt"),
        (b'{"name": "\\ud800"}', "ungültiges Zeichen"),
        (b'{"name": "Trauer \\udfff"}', "ungültiges Zeichen"),
        (b'{"name": "\xff"}', "kein gültiges JSON"),
        (b'{"name": NaN}', "endliche Zahl"),
        (b"null", "JSON-Objekt"),
    ]
    for body, message in cases:
        response = await client.post("/api/v1/groups", data=body, headers=headers)
        assert response.status == 400, body[:40]
        assert message in (await response.json())["error"], body[:40]
    await client.post("/api/v1/contact-points", json={"name": "KISS Nord"}, headers=headers)
    for minutes in (
        b"NaN",
        b"Infinity",
        b"-Infinity",
        b"1e400",
        b"15.0",
        b"true",
        b"99999999999999999999999",
    ):
        response = await client.post(
            "/api/v1/devices",
            data=b'{"name": "Tablet", "contact_point": "kiss-nord", "valid_minutes": ' + minutes + b"}",
            headers=headers,
        )
        assert response.status == 400, minutes
        error = (await response.json())["error"]
        assert any(text in error for text in ("endliche Zahl", "zu groß", "'valid_minutes'")), (
            minutes,
            error,
        )
    assert (await (await client.get("/api/v1/groups", headers=headers)).json())["groups"] == []
    assert (await (await client.get("/api/v1/devices", headers=headers)).json())["devices"] == []


async def test_messages_name_the_field_in_german(client: Client, group: SeededGroup, api_token: str) -> None:
    headers = auth(api_token)
    cases = [
        ({"name": "G", "contact_point": 5}, "Das Feld 'contact_point' muss Text sein."),
        ({"name": "G", "kontaktstelle": "x"}, "Das Feld 'kontaktstelle' gibt es hier nicht"),
        ({"name": "G", "contact_point": "Groß"}, "Das Feld 'contact_point' hat nicht die erwartete Form."),
        ({"name": "x" * 301}, "Das Feld 'name' ist zu lang (höchstens 300 Zeichen)."),
    ]
    for body, message in cases:
        response = await client.post("/api/v1/groups", json=body, headers=headers)
        assert response.status == 400 and (await response.json())["error"].startswith(message), body
    flag = await client.post(
        "/api/v1/contact-points", json={"name": "K", "show_group_names": "ja"}, headers=headers
    )
    assert (await flag.json())["error"] == "Das Feld 'show_group_names' muss true oder false sein."
    weekday = await client.put(f"/api/v1/groups/{group.id}/schedule", json={"weekday": [1]}, headers=headers)
    assert (await weekday.json())[
        "error"
    ] == "Das Feld 'weekday' (Wochentag) muss Text oder eine ganze Zahl sein."
    unknown = await client.get(f"/api/v1/groups/{group.id}/schedule?nxt=5", headers=headers)
    assert (await unknown.json())["error"] == "Der Parameter 'nxt' gibt es hier nicht (bekannt: next)."
    month = await client.get("/api/v1/reports/attendance?month=11.2026", headers=headers)
    assert (await month.json())["error"] == (
        "Der Parameter 'month' (Monat, z. B. 2026-11) hat nicht die erwartete Form."
    )
    layout = await client.get("/api/v1/contact-points/kiss/sheets.pdf?layout=a5", headers=headers)
    assert (await layout.json())[
        "error"
    ] == "Der Parameter 'layout' (Layout) muss einer dieser Werte sein: a4 oder cards."
    assert len((await (await client.get("/api/v1/groups", headers=headers)).json())["groups"]) == 1


async def test_the_document_matches_what_routes_answer(
    client: Client, group: SeededGroup, api_token: str
) -> None:
    doc = await (await client.get("/api/v1/openapi.json")).json()
    schemas = doc["components"]["schemas"]
    shown = await (await client.get(f"/api/v1/groups/{group.id}", headers=auth(api_token))).json()
    assert set(schemas["Group"]["required"]) <= set(shown) <= set(schemas["Group"]["properties"])
    assert {"created_at", "renewed_at"} <= set(schemas["Group"]["required"])
    assert schemas["Group"]["additionalProperties"] is False
    assert "leader_url" in schemas["IssuedGroup"]["required"]
    assert doc["components"]["securitySchemes"]["staffToken"] == {"type": "http", "scheme": "bearer"}
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert {"401", "429"} <= set(operation["responses"]), (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)
            if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "400" in operation["responses"], (method, path)


def test_cli_group_numbers_beyond_64_bits_are_not_found(cli: Callable[..., CliResult]) -> None:
    for command in (["group", "rotate", str(2**63)], ["group", "schedule", "9" * 30]):
        result = cli(*command)
        assert result.returncode == 2, (command, result.stderr)
        assert "nicht gefunden" in result.stderr and len(result.stderr.strip().splitlines()) == 1
