"""Attendance for people: the leader's headcount form and list, the report in the CLI and the staff API."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import datetime as dt
import io
import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.attendance_times import local_today
from meetkit.domain.retention import months_back
from meetkit.domain.scope import OPERATOR
from meetkit.services import attendance, directory
from meetkit.storage.database import database_for
from meetkit.web.app import create_app
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup
from tests.standins.event_sync import meeting, people

Client = TestClient[web.Request, web.Application]
AUTH = {"Authorization": "Bearer events-secret-0123456789abcdef0123456789"}


async def count(client: Client, group: SeededGroup, **form: str) -> Any:
    return await client.post(f"/l/{group.leader_token}/attendance", data=form, allow_redirects=False)


def _last_meeting(page: str) -> list[str]:
    """Date, total, online, in the room, on the phone of the newest meeting in the leader page's list."""
    newest = re.search(r'<ul class="meetings">\s*<li[^>]*>(.*?)</li>', page, re.DOTALL)
    assert newest is not None, page
    return re.findall(r'class="n">([^<]*)<', newest.group(1))


async def test_the_leader_enters_counts_and_sees_the_last_meetings(
    client: Client, group: SeededGroup
) -> None:
    page = await (await client.get(f"/l/{group.leader_token}")).text()
    assert "Wie viele waren da?" in page and "Noch keine Treffen erfasst." in page
    assert f'value="{local_today().isoformat()}"' in page
    response = await count(client, group, date=local_today().isoformat(), in_room="6", phone="2")
    assert response.status == 303
    assert response.headers["Location"] == f"/l/{group.leader_token}?lang=de&counted=1#attendance"
    page = await (await client.get(response.headers["Location"])).text()
    assert "Danke, die Zahlen sind gespeichert." in page
    assert _last_meeting(page) == [local_today().strftime("%d.%m.%Y"), "8", "0", "6", "2"]
    # a correction replaces, an empty field keeps
    await count(client, group, date=local_today().strftime("%d.%m.%Y"), in_room="5", phone="")
    [stored] = await attendance.last_meetings(client.app[DATABASE], group.id)
    assert (stored.in_room, stored.phone) == (5, 2)


async def test_online_counts_and_hand_counts_meet_in_one_meeting(client: Client, group: SeededGroup) -> None:
    start = int(time.time()) - 3 * 3600
    for path, body in meeting(group.room, start, people(4)):  # leader, room tablet, two at home
        assert (await client.post(f"/jitsi/events/{path}", json=body, headers=AUTH)).status == 200
    day = (await attendance.last_meetings(client.app[DATABASE], group.id))[0].meeting_date
    await count(client, group, date=day.isoformat(), in_room="5", phone="1")
    page = await (await client.get(f"/l/{group.leader_token}?lang=en")).text()
    assert "Your last meetings" in page
    # 4 online - room tablet - 1 phone caller = 2 at home; 5 in the room; 1 on the phone
    assert _last_meeting(page)[1:] == ["8", "2", "5", "1"], page


async def test_wrong_input_is_explained(client: Client, group: SeededGroup) -> None:
    tomorrow = (local_today() + dt.timedelta(days=1)).isoformat()
    for form, message in [
        ({"date": local_today().isoformat(), "in_room": "", "phone": ""}, "mindestens eine Zahl"),
        ({"date": local_today().isoformat(), "in_room": "viele"}, "ganze Zahl von 0 bis 500"),
        ({"date": local_today().isoformat(), "in_room": "501"}, "ganze Zahl von 0 bis 500"),
        ({"date": tomorrow, "in_room": "3"}, "in der Zukunft"),
        ({"date": "gestern", "in_room": "3"}, "Datum wie 23.11.2026"),
    ]:
        response = await count(client, group, **form)
        assert response.status == 400 and message in await response.text()
    english = await client.post(
        f"/l/{group.leader_token}/attendance?lang=en", data={"date": tomorrow, "in_room": "3"}
    )
    assert "The date is in the future." in await english.text()
    assert await attendance.last_meetings(client.app[DATABASE], group.id) == []


async def test_a_day_that_retention_has_summed_up_takes_no_more_counts(
    aiohttp_client: Any, settings: Settings
) -> None:
    # A purge keeps such a day's meetings only as monthly totals: a late count would be summed up twice.
    client = await aiohttp_client(create_app(dataclasses.replace(settings, retention_months=1)))
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "KISS Beispielstadt")
    issued = await directory.add_group(db, settings, OPERATOR, "Angehörige Sucht", "kiss-beispielstadt")
    path = f"/l/{issued.leader_token}/attendance"
    kept_from = months_back(local_today(), 1)
    late = {"date": (kept_from - dt.timedelta(days=1)).isoformat(), "in_room": "4"}
    refused = await client.post(path, data=late, allow_redirects=False)
    assert refused.status == 400
    assert (
        f"Treffen vor dem {kept_from:%d.%m.%Y} werden nicht mehr einzeln aufbewahrt" in await refused.text()
    )
    english = await client.post(f"{path}?lang=en", data=late, allow_redirects=False)
    assert f"Meetings before {kept_from:%d.%m.%Y} are no longer kept one by one" in await english.text()
    assert await attendance.last_meetings(db, issued.group.id) == []  # nothing written
    kept = {"date": kept_from.isoformat(), "in_room": "4"}
    assert (await client.post(path, data=kept, allow_redirects=False)).status == 303
    assert [m.meeting_date for m in await attendance.last_meetings(db, issued.group.id)] == [kept_from]


async def test_a_wrong_leader_token_counts_as_a_failed_look_up(client: Client, group: SeededGroup) -> None:
    for _ in range(20):
        response = await client.post("/l/not-a-token/attendance", data={"date": "2026-11-01", "in_room": "3"})
        assert response.status == 404
    blocked = await count(client, group, date=local_today().isoformat(), in_room="3")
    assert blocked.status == 429


class _Loads(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []
        self.scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.scripts += tag == "script"
        for name in ("src", "href", "data"):
            if values.get(name) and tag != "a":
                self.loaded.append(values[name] or "")


def test_report_from_the_command_line(cli: Any, tmp_path: Path, settings: Settings) -> None:
    month = (local_today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month: all past

    async def seed() -> None:
        db = database_for(settings.database_url)
        await db.open()
        await directory.add_contact_point(db, OPERATOR, "KISS Beispielstadt")
        await directory.add_contact_point(db, OPERATOR, "SHG Nord")
        big = await directory.add_group(db, settings, OPERATOR, "Angehörige Sucht", "kiss-beispielstadt")
        small = await directory.add_group(db, settings, OPERATOR, "Kleine Gruppe", "shg-nord")
        await attendance.record_headcount(db, big.group.id, month, 7, 1, "leader")
        await attendance.record_headcount(db, big.group.id, month + dt.timedelta(days=1), 5, 0, "kiosk")
        await attendance.record_headcount(db, small.group.id, month, 2, 0, "leader")
        await db.close()

    asyncio.run(seed())
    ym = month.strftime("%Y-%m")
    as_csv = cli("report", "--month", ym)
    assert as_csv.returncode == 0, as_csv.stderr
    table = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    big = next(r for r in table if r["group"] == "Angehörige Sucht")
    assert (big["meetings"], big["participants"], big["average_participants"]) == ("2", "13", "6.5")
    assert table[-1]["level"] == "total" and table[-1]["participants"] == "15"

    state_wide = cli("report", "--month", ym, "--min-count", "3", "--json").json()
    small = state_wide["contact_points"][1]["groups"][0]
    assert small["name"] == "Kleine Gruppe" and small["meetings"] == 1 and small["participants"] is None
    assert state_wide["suppressed_below"] == 3

    one = cli("report", "--month", ym, "--contact-point", "shg-nord", "--format", "json").json()
    assert [cp["slug"] for cp in one["contact_points"]] == ["shg-nord"]
    assert one["contact_points"][0]["groups"][0]["participants"] == 2  # inside the contact point: as it is

    out = tmp_path / "bericht.html"
    written = cli("report", "--month", ym, "--format", "html", "-o", str(out))
    assert written.returncode == 0 and written.stdout == ""
    html = out.read_text()
    assert "<svg" in html and "<rect" in html and "Angehörige Sucht" in html
    parser = _Loads()
    parser.feed(html)
    assert parser.loaded == [] and parser.scripts == 0  # nothing from anywhere, no script

    for bad, message in [
        (["--month", "2026-13"], "JJJJ-MM"),
        (["--month", ym, "--contact-point", "gibt-es-nicht"], "Keine Kontaktstelle"),
        (["--month", ym, "--min-count", "0"], "--min-count"),
    ]:
        failed = cli("report", *bad)
        assert failed.returncode == 2 and failed.stdout == "" and message in failed.stderr
        assert len(failed.stderr.strip().splitlines()) == 1


async def test_report_in_the_staff_api(client: Client, group: SeededGroup, api_token: str) -> None:
    await attendance.record_headcount(client.app[DATABASE], group.id, local_today(), 2, 0, "leader")
    ym = local_today().strftime("%Y-%m")
    headers = {"Authorization": f"Bearer {api_token}"}
    assert (await client.get(f"/api/v1/reports/attendance?month={ym}")).status == 401
    response = await client.get(f"/api/v1/reports/attendance?month={ym}", headers=headers)
    assert response.status == 200
    data = await response.json()
    assert data["totals"] == {
        "meetings": 1,
        "participants": 2,
        "average_participants": 2.0,
        "online": 0,
        "in_room": 2,
        "phone": 0,
        "suppressed": False,
    }
    suppressed = await (
        await client.get(f"/api/v1/reports/attendance?month={ym}&min_count=3", headers=headers)
    ).json()
    assert suppressed["totals"]["participants"] is None
    as_csv = await client.get(
        f"/api/v1/reports/attendance?month={ym}&format=csv&contact_point=kiss-beispielstadt", headers=headers
    )
    assert as_csv.content_type == "text/csv" and "Angehörige Sucht" in await as_csv.text()
    for query, status in [("", 400), ("?month=2026-1", 400), (f"?month={ym}&contact_point=nope", 404)]:
        bad = await client.get(f"/api/v1/reports/attendance{query}", headers=headers)
        assert bad.status == status and "error" in await bad.json()
    spec = await (await client.get("/api/v1/openapi.json")).json()
    assert "/reports/attendance" in spec["paths"] and "AttendanceReport" in spec["components"]["schemas"]
    assert json.dumps(spec)  # serialisable
