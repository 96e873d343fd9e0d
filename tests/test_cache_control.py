"""Pages that show secrets (links, PINs, group names) are never stored by the browser: `no-store`."""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.domain.attendance_times import local_today
from meetkit.domain.scope import OPERATOR
from meetkit.services import devices, schedules
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup

Client = TestClient[web.Request, web.Application]

SECRET_PAGES = [  # (method, path, form) with {code}, {token}, {device}, {pairing}, {group_id}
    ("GET", "/j/{code}", None),
    ("GET", "/j/{code}?lang=en", None),
    ("GET", "/j/{code}/calendar.ics", None),
    ("GET", "/l/{token}", None),
    ("GET", "/l/{token}/start", None),
    (
        "POST",
        "/l/{token}/attendance",
        {"date": "{today}", "in_room": "²"},
    ),  # the page again, with the message
    ("GET", "/l/{token}/sheet", None),
    ("GET", "/l/{token}/sheet.pdf", None),
    ("GET", "/kiosk/{device}", None),
    ("GET", "/kiosk/{device}/qr/{group_id}.svg", None),
    ("GET", "/kiosk/pair/{pairing}", None),
]


@pytest.mark.parametrize(("method", "path", "form"), SECRET_PAGES, ids=[p for _, p, _ in SECRET_PAGES])
async def test_pages_with_secrets_are_no_store(
    client: Client, group: SeededGroup, method: str, path: str, form: dict[str, str] | None
) -> None:
    db = client.app[DATABASE]
    _, device_token = await devices.pair_device(
        db, (await devices.add_device(db, OPERATOR, "Tablet", "kiss-beispielstadt")).pairing_token
    )
    pairing = (await devices.add_device(db, OPERATOR, "Tablet 2", "kiss-beispielstadt")).pairing_token
    today = local_today()  # the kiosk shows (and draws QR codes for) the groups that meet today
    await schedules.set_schedule(
        db, OPERATOR, str(group.id), frequency="weekly", weekday=today.weekday(), start=dt.time(12)
    )
    values = {
        "code": group.member_code,
        "token": group.leader_token,
        "device": device_token,
        "pairing": pairing,
        "group_id": str(group.id),
        "today": today.isoformat(),
    }
    data = {name: value.format(**values) for name, value in form.items()} if form else None
    response = await client.request(method, path.format(**values), data=data, allow_redirects=False)
    assert response.status in (200, 303, 400), await response.text()
    assert response.headers["Cache-Control"] == "no-store"


async def test_static_files_may_still_be_cached(client: Client) -> None:
    response = await client.get("/static/meetkit.css")
    assert response.headers["Cache-Control"] == "public, max-age=86400"
