"""Kiosk tablets: one-time pairing links, device tokens, revocation; CLI with terminal QR code; staff API."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import zxingcpp
from aiohttp import web
from aiohttp.test_utils import TestClient
from PIL import Image

from meetkit.domain import ids
from meetkit.domain.errors import InvalidInput, NotFound, Unauthorized
from meetkit.domain.scope import OPERATOR
from meetkit.qr import qr_text
from meetkit.services import devices, directory
from meetkit.storage.sqlite import SqliteDatabase as Database
from tests.conftest import CliResult

Client = TestClient[web.Request, web.Application]
Cli = Callable[..., CliResult]
NOW = dt.datetime(2026, 4, 2, 16, 0, tzinfo=dt.UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(tmp_path / "meetkit.db")
    await database.open()
    await directory.add_contact_point(database, OPERATOR, "KISS Beispielstadt")
    yield database
    await database.close()


def decode_terminal_qr(text: str) -> str:
    """Read the half-block QR code back into pixels and decode it, as a phone camera would."""
    light_top = {"█": (True, True), "▀": (True, False), "▄": (False, True), " ": (False, False)}
    rows: list[list[bool]] = []
    for line in text.splitlines():
        top, bottom = zip(*(light_top[ch] for ch in line), strict=True)
        rows += [list(top), list(bottom)]
    scale = 6
    image = Image.new("L", (len(rows[0]) * scale, len(rows) * scale), 255)
    for y, row in enumerate(rows):
        for x, light in enumerate(row):
            if not light:
                image.paste(0, (x * scale, y * scale, (x + 1) * scale, (y + 1) * scale))
    results = zxingcpp.read_barcodes(image)
    assert results, "the terminal QR code did not decode"
    return str(results[0].text)


# --- services ---


async def test_pairing_is_one_time_and_stores_only_hashes(db: Database) -> None:
    issued = await devices.add_device(db, OPERATOR, "Tablet Raum 2", "kiss-beispielstadt", now=NOW)
    assert issued.device.status(NOW) == "pairing"
    assert (await devices.pairing_device(db, issued.pairing_token, now=NOW)).id == issued.device.id
    device, token = await devices.pair_device(db, issued.pairing_token, now=NOW)
    assert device.paired_at is not None and device.status(NOW) == "paired"
    found, contact_point = await devices.device_for_token(db, token)
    assert found.id == device.id and contact_point.slug == "kiss-beispielstadt"
    with pytest.raises(NotFound, match="schon benutzt"):
        await devices.pair_device(db, issued.pairing_token, now=NOW)
    with pytest.raises(NotFound):
        await devices.pairing_device(db, issued.pairing_token, now=NOW)

    def dump(conn: sqlite3.Connection) -> str:
        return "\n".join(str(tuple(r)) for r in conn.execute("SELECT * FROM devices"))

    stored = await db.read(dump)
    assert token not in stored and issued.pairing_token not in stored
    assert ids.hash_secret(token) in stored


async def test_pairing_link_expires(db: Database) -> None:
    issued = await devices.add_device(db, OPERATOR, "Tablet", "kiss-beispielstadt", valid_minutes=30, now=NOW)
    assert issued.device.pairing_expires_at == "2026-04-02T16:30:00Z"
    late = NOW + dt.timedelta(minutes=30)
    with pytest.raises(NotFound, match="abgelaufen"):
        await devices.pair_device(db, issued.pairing_token, now=late)
    assert issued.device.status(late) == "unpaired"
    with pytest.raises(InvalidInput, match="1 bis"):
        await devices.add_device(db, OPERATOR, "Tablet", "kiss-beispielstadt", valid_minutes=0)


async def test_new_pairing_replaces_the_tablet(db: Database) -> None:
    first = await devices.add_device(db, OPERATOR, "Tablet", "kiss-beispielstadt", now=NOW)
    _, old_token = await devices.pair_device(db, first.pairing_token, now=NOW)
    again = await devices.new_pairing(db, OPERATOR, "Tablet", now=NOW)
    await devices.device_for_token(db, old_token)  # still works until the new link is used
    _, new_token = await devices.pair_device(db, again.pairing_token, now=NOW)
    with pytest.raises(NotFound):
        await devices.device_for_token(db, old_token)
    assert (await devices.device_for_token(db, new_token))[0].id == first.device.id


async def test_revoke_stops_token_and_open_pairing(db: Database) -> None:
    issued = await devices.add_device(db, OPERATOR, "Tablet", "kiss-beispielstadt", now=NOW)
    _, token = await devices.pair_device(db, issued.pairing_token, now=NOW)
    reopened = await devices.new_pairing(db, OPERATOR, str(issued.device.id), now=NOW)
    revoked = await devices.revoke_device(db, OPERATOR, str(issued.device.id))
    assert revoked.revoked and revoked.status(NOW) == "revoked"
    with pytest.raises(Unauthorized, match="abgemeldet"):
        await devices.device_for_token(db, token)
    with pytest.raises(NotFound):
        await devices.pair_device(db, reopened.pairing_token, now=NOW)
    with pytest.raises(InvalidInput, match="schon abgemeldet"):
        await devices.revoke_device(db, OPERATOR, "Tablet")
    with pytest.raises(InvalidInput, match="abgemeldet"):
        await devices.new_pairing(db, OPERATOR, "Tablet")


async def test_lookups_and_validation(db: Database) -> None:
    with pytest.raises(NotFound, match="Keine Kontaktstelle"):
        await devices.add_device(db, OPERATOR, "Tablet", "gibt-es-nicht")
    with pytest.raises(InvalidInput, match="leer"):
        await devices.add_device(db, OPERATOR, "  ", "kiss-beispielstadt")
    await devices.add_device(db, OPERATOR, "Tablet", "kiss-beispielstadt")
    await devices.add_device(db, OPERATOR, "Tablet", "kiss-beispielstadt")
    with pytest.raises(InvalidInput, match="Mehrere Tablets"):
        await devices.find_device(db, OPERATOR, "Tablet")
    with pytest.raises(NotFound):
        await devices.find_device(db, OPERATOR, "77")
    with pytest.raises(NotFound):
        await devices.device_for_token(db, "unknown-token")
    listed = await devices.list_devices(db, OPERATOR, "kiss-beispielstadt")
    assert [d.name for d, _ in listed] == ["Tablet", "Tablet"]
    assert all(cp is not None and cp.slug == "kiss-beispielstadt" for _, cp in listed)


# --- CLI ---


def test_cli_add_prints_link_and_a_scannable_qr_code(cli: Cli, tmp_path: Path) -> None:
    assert cli("contact-point", "add", "KISS Beispielstadt").returncode == 0
    svg = tmp_path / "pair.svg"
    result = cli("device", "add", "Tablet Raum 2", "--contact-point", "kiss-beispielstadt", "--svg", str(svg))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    link = next(line for line in lines if line.startswith("https://treffen.example.org/kiosk/pair/"))
    qr_lines = [line for line in lines if line and set(line) <= set("█▀▄ ")]
    assert len(qr_lines) > 10
    assert decode_terminal_qr("\n".join(qr_lines)) == link
    assert (
        svg.read_text().startswith('<svg xmlns="http://www.w3.org/2000/svg" ') and "<path" in svg.read_text()
    )

    as_json = cli("device", "add", "Tablet Saal", "--contact-point", "kiss-beispielstadt", "--json")
    data = as_json.json()
    assert data["pairing_url"].startswith("https://treffen.example.org/kiosk/pair/")
    assert data["device"]["status"] == "pairing" and data["device"]["name"] == "Tablet Saal"

    listing = cli("device", "list", "--json").json()["devices"]
    assert [d["name"] for d in listing] == ["Tablet Raum 2", "Tablet Saal"]
    assert all("token" not in key for d in listing for key in d)

    pair = cli("device", "pair", "Tablet Saal", "--no-qr", "--json").json()
    assert pair["pairing_url"] != data["pairing_url"]

    revoked = cli("device", "revoke", str(data["device"]["id"]), "--json")
    assert revoked.returncode == 0 and revoked.json()["status"] == "revoked"
    again = cli("device", "revoke", str(data["device"]["id"]))
    assert again.returncode == 2 and "schon abgemeldet" in again.stderr
    missing = cli("device", "add", "X", "--contact-point", "nirgends")
    assert missing.returncode == 2 and "Keine Kontaktstelle" in missing.stderr


def test_terminal_qr_decodes() -> None:
    url = "https://treffen.example.org/kiosk/pair/" + "A" * 43
    assert decode_terminal_qr(qr_text(url)) == url


# --- staff API ---


async def test_devices_api(client: Client, api_token: str) -> None:
    headers = {"Authorization": f"Bearer {api_token}"}
    assert (await client.get("/api/v1/devices")).status == 401
    await client.post("/api/v1/contact-points", json={"name": "KISS Nord"}, headers=headers)
    created = await client.post(
        "/api/v1/devices",
        json={"name": "Tablet", "contact_point": "kiss-nord", "valid_minutes": 15},
        headers=headers,
    )
    assert created.status == 201
    data = await created.json()
    assert data["pairing_url"].startswith("https://treffen.example.org/kiosk/pair/")
    device_id = data["device"]["id"]
    listed = await (await client.get("/api/v1/devices?contact_point=kiss-nord", headers=headers)).json()
    assert [d["id"] for d in listed["devices"]] == [device_id]
    assert listed["devices"][0]["contact_point"] == "kiss-nord"
    pairing = await client.post(f"/api/v1/devices/{device_id}/pairing", json={}, headers=headers)
    assert pairing.status == 200 and (await pairing.json())["pairing_url"] != data["pairing_url"]
    revoked = await client.post(f"/api/v1/devices/{device_id}/revoke", headers=headers)
    assert revoked.status == 200 and (await revoked.json())["status"] == "revoked"
    bad = await client.post(
        "/api/v1/devices",
        json={"name": "X", "contact_point": "kiss-nord", "valid_minutes": "x"},
        headers=headers,
    )
    assert bad.status == 400 and "Minuten" in (await bad.json())["error"]
    assert (await client.post("/api/v1/devices/999/revoke", headers=headers)).status == 404


async def test_openapi_documents_devices(client: Client) -> None:
    doc = await (await client.get("/api/v1/openapi.json")).json()
    assert {"get", "post"} <= set(doc["paths"]["/devices"])
    assert "post" in doc["paths"]["/devices/{id}/revoke"] and "post" in doc["paths"]["/devices/{id}/pairing"]
    assert {"NewDevice", "Device", "DevicePairing"} <= set(doc["components"]["schemas"])
