"""The tablet kiosk over HTTP: pairing, today's list per contact point, join options, headcount, revocation."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

import jwt as pyjwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.errors import NotFound
from meetkit.domain.scope import OPERATOR
from meetkit.services import devices, directory, kiosk, schedules
from meetkit.web.app import create_app
from meetkit.web.keys import DATABASE
from tests.conftest import JWT_SECRET

Client = TestClient[web.Request, web.Application]
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2026, 4, 2, 17, 30, tzinfo=BERLIN)  # a Thursday


@dataclass
class Kiosks:
    """Two contact points, each with a paired tablet and groups; ids by name."""

    nord_token: str
    sued_token: str
    groups: dict[str, int]
    nord_device_id: int


async def _group(
    client: Client, settings: Settings, name: str, cp: str, weekday: int, start: str, place: str
) -> int:
    db = client.app[DATABASE]
    issued = await directory.add_group(db, settings, OPERATOR, name, cp)
    hour, minute = map(int, start.split(":"))
    await schedules.set_schedule(
        db,
        OPERATOR,
        str(issued.group.id),
        frequency="weekly",
        weekday=weekday,
        start=dt.time(hour, minute),
        place=place,
        now=NOW,
    )
    return issued.group.id


async def _paired(client: Client, name: str, cp: str) -> tuple[int, str]:
    db = client.app[DATABASE]
    issued = await devices.add_device(db, OPERATOR, name, cp)
    device, token = await devices.pair_device(db, issued.pairing_token)
    return device.id, token


@pytest.fixture
async def kiosks(client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Kiosks:
    monkeypatch.setattr(kiosk, "now_utc", lambda: NOW.astimezone(dt.UTC))
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="nord")
    await directory.add_contact_point(db, OPERATOR, "KISS Süd", slug="sued", show_group_names=False)
    ids = {
        "Angehörige": await _group(client, settings, "Angehörige", "nord", 3, "19:00", "Raum 2"),
        "Trauer": await _group(client, settings, "Trauer", "nord", 3, "17:00", ""),
        "Frühstück": await _group(client, settings, "Frühstück", "nord", 3, "09:00", "Café"),
        "Montagsgruppe": await _group(client, settings, "Montagsgruppe", "nord", 0, "19:00", ""),
        "Depression": await _group(client, settings, "Depression", "sued", 3, "18:00", "Saal"),
    }
    nord_id, nord = await _paired(client, "Tablet Nord", "nord")
    _, sued = await _paired(client, "Tablet Süd", "sued")
    return Kiosks(nord, sued, ids, nord_id)


# --- pairing ---


async def test_pairing_flow_sets_a_strict_cookie_and_uses_the_link_up(client: Client) -> None:
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="nord")
    issued = await devices.add_device(db, OPERATOR, "Tablet Raum 2", "nord")
    path = f"/kiosk/pair/{issued.pairing_token}"

    page = await client.get(path)
    assert page.status == 200
    html = await page.text()
    assert "Dieses Tablet koppeln" in html and "Tablet Raum 2" in html and "KISS Nord" in html
    assert f'<form method="post" action="{path}">' in html
    assert (await client.get(path)).status == 200  # looking does not use the link up

    paired = await client.post(path, allow_redirects=False)
    assert paired.status == 303
    location = paired.headers["Location"]
    assert re.fullmatch(r"/kiosk/[A-Za-z0-9_-]{43}", location)
    cookie = paired.headers["Set-Cookie"]
    token = location.removeprefix("/kiosk/")
    assert f"meetkit_kiosk={token}" in cookie
    for attribute in ("HttpOnly", "SameSite=Strict", "Secure", "Path=/kiosk", "Max-Age="):
        assert attribute in cookie
    assert (await client.get(location)).status == 200

    used = await client.post(path, allow_redirects=False)
    assert used.status == 404 and "schon benutzt" in await used.text()
    assert (await client.get(path)).status == 404

    # The cookie is Secure (https public URL), so the test client over http sends it only when told to.
    again = await client.get("/kiosk", allow_redirects=False, headers={"Cookie": f"meetkit_kiosk={token}"})
    assert again.status == 303 and again.headers["Location"] == location


async def test_kiosk_without_pairing_explains(client: Client) -> None:
    response = await client.get("/kiosk")
    assert response.status == 200
    assert "nicht gekoppelt" in await response.text()
    assert (await client.get("/kiosk/not-a-device-token")).status == 404


# --- today's list ---


async def test_list_shows_only_this_contact_points_meetings_today_in_order(
    client: Client, kiosks: Kiosks
) -> None:
    response = await client.get(f"/kiosk/{kiosks.nord_token}")
    assert response.status == 200
    html = await response.text()
    titles = re.findall(r'<span class="meeting-title">([^<]+)</span>', html)
    assert titles == ["Frühstück", "Trauer", "Angehörige"]
    assert "Montagsgruppe" not in html and "Depression" not in html and "Saal" not in html
    assert "Donnerstag, 02.04.2026" in html and "KISS Nord" in html
    states = re.findall(r'<li class="meeting meeting-(\w+)">', html)
    assert states == ["ended", "running", "later"]
    assert "Läuft gerade" in html and "19:00–20:30" in html and "Raum 2" in html
    group_ids = [int(x) for x in re.findall(r'data-group="(\d+)"', html)]
    assert group_ids == [kiosks.groups["Frühstück"], kiosks.groups["Trauer"], kiosks.groups["Angehörige"]]


async def test_names_hidden_when_the_contact_point_hides_them(client: Client, kiosks: Kiosks) -> None:
    html = await (await client.get(f"/kiosk/{kiosks.sued_token}")).text()
    assert "Depression" not in html
    assert '<span class="meeting-title">Gruppentreffen</span>' in html and "Saal" in html
    assert "Angehörige" not in html and "Trauer" not in html
    assert re.findall(r'<li class="meeting meeting-(\w+)">', html) == ["next"]


async def test_kiosk_headers_allow_only_self_and_jitsi(client: Client, kiosks: Kiosks) -> None:
    response = await client.get(f"/kiosk/{kiosks.nord_token}")
    csp = response.headers["Content-Security-Policy"]
    assert csp == (
        "default-src 'none'; script-src 'self' https://meet.example.org; frame-src https://meet.example.org; "
        "connect-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    assert "unsafe" not in csp
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert 'camera=(self "https://meet.example.org")' in response.headers["Permissions-Policy"]
    html = await response.text()
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/kiosk.js" defer>']
    assert " style=" not in html and "onclick" not in html
    assert "meet.example.org" not in html  # Jitsi's script is loaded only when joining


# --- joining ---


async def test_join_options_carry_room_jwt_and_privacy_config(
    client: Client, kiosks: Kiosks, settings: Settings
) -> None:
    group_id = kiosks.groups["Angehörige"]
    response = await client.post(f"/kiosk/{kiosks.nord_token}/join.json", json={"group_id": group_id})
    assert response.status == 200, await response.text()
    assert response.headers["Cache-Control"] == "no-store"
    data = await response.json()
    db = client.app[DATABASE]
    room = (await directory.find_group(db, OPERATOR, str(group_id))).room
    assert data["script"] == "https://meet.example.org/external_api.js"
    assert data["domain"] == "meet.example.org"
    options = data["options"]
    assert options["roomName"] == room
    assert options["userInfo"] == {"displayName": "Raum: Raum 2"}
    config = options["configOverwrite"]
    assert config["prejoinConfig"]["enabled"] is False
    assert config["deeplinking"]["disabled"] is True and config["disableDeepLinking"] is True
    assert config["disableThirdPartyRequests"] is True
    assert config["analytics"] == {"disabled": True, "rtcstatsEnabled": False}
    assert config["gravatar"]["disabled"] is True and config["doNotStoreRoom"] is True
    claims = pyjwt.decode(
        options["jwt"], JWT_SECRET, algorithms=["HS256"], audience="jitsi", options={"verify_exp": False}
    )
    assert claims["exp"] - claims["iat"] == settings.jwt_ttl_minutes * 60
    assert claims["iat"] == int(NOW.timestamp())
    assert claims["room"] == room and claims["context"] == {"user": {"moderator": True}}
    assert claims["iss"] == "meetkit" and claims["sub"] == "meet.jitsi" and "exp" in claims
    assert data["title"] == "Angehörige" and data["time"] == "19:00–20:30" and data["place"] == "Raum 2"
    assert data["leave_at"] == int(dt.datetime(2026, 4, 2, 21, 0, tzinfo=BERLIN).timestamp() * 1000)
    assert data["qr"] == f"/kiosk/{kiosks.nord_token}/qr/{group_id}.svg"


async def test_join_without_place_uses_the_contact_point_name(client: Client, kiosks: Kiosks) -> None:
    data = await (
        await client.post(f"/kiosk/{kiosks.nord_token}/join.json", json={"group_id": kiosks.groups["Trauer"]})
    ).json()
    assert data["options"]["userInfo"] == {"displayName": "KISS Nord"}
    sued = await (
        await client.post(
            f"/kiosk/{kiosks.sued_token}/join.json", json={"group_id": kiosks.groups["Depression"]}
        )
    ).json()
    assert sued["title"] == "Gruppentreffen" and sued["options"]["userInfo"] == {"displayName": "Raum: Saal"}


async def test_a_device_never_reaches_another_contact_points_groups(client: Client, kiosks: Kiosks) -> None:
    other = kiosks.groups["Depression"]
    for path, body in (
        ("join.json", {"group_id": other}),
        ("headcount.json", {"group_id": other, "in_room": 3}),
    ):
        response = await client.post(f"/kiosk/{kiosks.nord_token}/{path}", json=body)
        assert response.status == 404 and "error" in await response.json()
    assert (await client.get(f"/kiosk/{kiosks.nord_token}/qr/{other}.svg")).status == 404
    not_today = await client.post(
        f"/kiosk/{kiosks.nord_token}/join.json", json={"group_id": kiosks.groups["Montagsgruppe"]}
    )
    assert not_today.status == 404
    bad = await client.post(f"/kiosk/{kiosks.nord_token}/join.json", json={"group_id": "1"})
    assert bad.status == 404


async def test_member_qr_for_latecomers(client: Client, kiosks: Kiosks) -> None:
    response = await client.get(f"/kiosk/{kiosks.nord_token}/qr/{kiosks.groups['Angehörige']}.svg")
    assert response.status == 200 and response.content_type == "image/svg+xml"
    svg = await response.text()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" ') and "<path" in svg


# --- revocation ---


async def test_revoked_device_gets_a_clear_page_and_no_data(client: Client, kiosks: Kiosks) -> None:
    await devices.revoke_device(client.app[DATABASE], OPERATOR, str(kiosks.nord_device_id))
    page = await client.get(f"/kiosk/{kiosks.nord_token}")
    assert page.status == 403
    html = await page.text()
    assert "Dieses Tablet wurde abgemeldet." in html and "Kontaktstelle" in html
    assert "Angehörige" not in html and "meeting" not in html
    assert 'meetkit_kiosk=""' in page.headers.get("Set-Cookie", "")
    join = await client.post(
        f"/kiosk/{kiosks.nord_token}/join.json", json={"group_id": kiosks.groups["Trauer"]}
    )
    assert join.status == 401 and "abgemeldet" in (await join.json())["error"]
    english = await client.get(f"/kiosk/{kiosks.nord_token}?lang=en")
    assert "This tablet has been revoked." in await english.text()


# --- the day's meetings and the headcount as services ---


async def test_todays_meetings_mark_the_next_one(client: Client, kiosks: Kiosks) -> None:
    db = client.app[DATABASE]
    nord = await directory.get_contact_point(db, OPERATOR, "nord")
    early = await kiosk.todays_meetings(db, nord, now=dt.datetime(2026, 4, 2, 8, 0, tzinfo=BERLIN))
    assert [(m.title, m.state) for m in early] == [
        ("Frühstück", "next"),
        ("Trauer", "later"),
        ("Angehörige", "later"),
    ]
    grace = await kiosk.todays_meetings(db, nord, now=dt.datetime(2026, 4, 2, 18, 45, tzinfo=BERLIN))
    assert [m.state for m in grace] == ["ended", "ended", "next"]  # overtime does not hide the next one
    late = await kiosk.todays_meetings(db, nord, now=dt.datetime(2026, 4, 2, 23, 0, tzinfo=BERLIN))
    assert [m.state for m in late] == ["ended", "ended", "ended"]
    with pytest.raises(NotFound):
        await kiosk.todays_meeting(db, nord, kiosks.groups["Depression"])


async def test_headcount_round_trip_into_attendance(
    client: Client, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Real time: attendance accepts only today's (not future) dates."""
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="nord")
    issued = await directory.add_group(db, settings, OPERATOR, "Heute", "nord")
    today = dt.datetime.now(BERLIN).date()
    await schedules.set_schedule(
        db,
        OPERATOR,
        str(issued.group.id),
        frequency="weekly",
        weekday=today.weekday(),
        start=dt.time(0, 0),
        duration_minutes=720,
    )
    _, token = await _paired(client, "Tablet", "nord")
    url = f"/kiosk/{token}/headcount.json"
    for count in (1, 2, 5, 4):
        response = await client.post(url, json={"group_id": issued.group.id, "in_room": count})
        assert response.status == 200, await response.text()
    assert await response.json() == {"group_id": issued.group.id, "date": today.isoformat(), "in_room": 4}

    def row(conn: sqlite3.Connection) -> sqlite3.Row:
        return conn.execute(
            "SELECT meeting_date, in_room_count, phone_count, sources FROM meeting_sessions WHERE group_id = ?",
            (issued.group.id,),
        ).fetchone()

    stored = await db.read(row)
    assert stored["meeting_date"] == today.isoformat() and stored["in_room_count"] == 4
    assert stored["phone_count"] is None and stored["sources"] & 8  # 8 = kiosk
    for bad in (-1, 501, "3", None, True):
        rejected = await client.post(url, json={"group_id": issued.group.id, "in_room": bad})
        assert rejected.status == 400, bad


async def test_join_without_jwt_configuration_has_no_token(
    aiohttp_client: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kiosk, "now_utc", lambda: NOW.astimezone(dt.UTC))
    client = await aiohttp_client(create_app(replace(settings, jwt_app_id=None, jwt_secret=None)))
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Nord", slug="nord")
    group_id = await _group(client, settings, "Trauer", "nord", 3, "17:00", "")
    _, token = await _paired(client, "Tablet", "nord")
    data = await (await client.post(f"/kiosk/{token}/join.json", json={"group_id": group_id})).json()
    assert "jwt" not in data["options"] and data["options"]["roomName"]


async def test_after_a_renewal_the_kiosk_joins_the_groups_new_room(
    client: Client, kiosks: Kiosks, settings: Settings
) -> None:
    group_id = kiosks.groups["Angehörige"]
    db = client.app[DATABASE]
    old_room = (await directory.find_group(db, OPERATOR, str(group_id))).room
    new_room = (await directory.rotate_group(db, settings, OPERATOR, str(group_id))).group.room
    data = await (
        await client.post(f"/kiosk/{kiosks.nord_token}/join.json", json={"group_id": group_id})
    ).json()
    assert data["options"]["roomName"] == new_room != old_room
    claims = pyjwt.decode(
        data["options"]["jwt"],
        JWT_SECRET,
        algorithms=["HS256"],
        audience="jitsi",
        options={"verify_exp": False},
    )
    assert claims["room"] == new_room
