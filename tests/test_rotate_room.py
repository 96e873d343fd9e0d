"""Renewing a group's links gives it a new Jitsi room: whoever kept the old member link is locked out.

Members join Jitsi as guests with the room URL alone, so the room must change with the links. Attendance,
the mapper, the PIN look-up and the kiosk follow the group; rules in meetkit/domain/attendance.py.
"""

from __future__ import annotations

import re
import time
from typing import Any

import jwt as pyjwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain.attendance_times import iso_utc, local_date
from meetkit.domain.scope import OPERATOR
from meetkit.jitsi.census import CensusRoom
from meetkit.services import attendance, directory
from meetkit.web.keys import DATABASE
from tests import dbtools
from tests.conftest import BASE_ENV, JWT_SECRET, CliResult, SeededGroup
from tests.standins.event_sync import meeting, people
from tests.test_pages import hash_params

Client = TestClient[web.Request, web.Application]
MUC = "muc.meet.jitsi"
PBX = {"Authorization": f"Bearer {BASE_ENV['MEETKIT_PBX_SECRET']}"}
EVENTS = {"Authorization": f"Bearer {BASE_ENV['MEETKIT_EVENTS_SECRET']}"}
ROOM = re.compile(r"[a-z0-9]{5}(-[a-z0-9]{5}){3}")
START = (int(time.time()) - 3 * 3600) // 300 * 300 + 100  # three hours ago


async def mapper(client: Client, query: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
    response = await client.get(f"/jitsi/conference-mapper?{query}", headers=headers)
    return response.status, await response.json()


async def send(client: Client, path: str, body: dict[str, Any]) -> bool:
    response = await client.post(f"/jitsi/events/{path}", json=body, headers=EVENTS)
    assert response.status == 200, await response.text()
    return bool((await response.json())["recorded"])


def sessions(settings: Settings) -> list[dict[str, Any]]:
    return dbtools.rows(settings, "SELECT * FROM meeting_sessions ORDER BY id")


def backdate_retirement(settings: Settings, room: str, seconds_ago: int) -> None:
    retired_at = iso_utc(int(time.time()) - seconds_ago)
    dbtools.execute(settings, "UPDATE retired_rooms SET retired_at = ? WHERE room = ?", retired_at, room)


def test_the_cli_rotation_gives_a_new_room(cli: Any) -> None:
    before = cli("group", "add", "Trauercafé", "--json").json()
    result: CliResult = cli("group", "rotate", str(before["id"]), "--json")
    assert result.returncode == 0, result.stderr
    renewed = result.json()
    assert renewed["room"] != before["room"] and ROOM.fullmatch(renewed["room"])
    listed = cli("group", "list", "--json").json()
    assert [g["room"] for g in listed["groups"]] == [renewed["room"]]


async def test_the_api_rotation_moves_member_page_mapper_and_pin_to_a_new_room(
    client: Client, group: SeededGroup, api_token: str
) -> None:
    old_jid = f"{group.room}@{MUC}"
    assert (await mapper(client, f"conference={old_jid}"))[0] == 200  # now in the mapper's cache
    rotated = await client.post(
        f"/api/v1/groups/{group.id}/rotate", headers={"Authorization": f"Bearer {api_token}"}
    )
    renewed = await rotated.json()
    room = renewed["room"]
    assert room != group.room and ROOM.fullmatch(room)

    member = await (
        await client.get(renewed["member_url"].removeprefix("https://treffen.example.org"))
    ).text()
    assert f"https://meet.example.org/{room}" in member and group.room not in member

    status, answer = await mapper(client, f"conference={old_jid}")
    assert status == 404 and answer["conference"] is False and answer["id"] is False
    status, answer = await mapper(client, f"conference={room}@{MUC}")
    assert status == 200 and answer["conference"] == f"{room}@{MUC}" and answer["id"] == int(renewed["pin"])
    status, answer = await mapper(client, f"id={renewed['pin']}", PBX)
    assert status == 200 and answer["conference"] == f"{room}@{MUC}"
    status, answer = await mapper(client, f"id={group.pin}", PBX)
    assert status == 404 and answer["conference"] is False


async def test_the_leader_page_renewal_starts_the_meeting_in_the_new_room(
    client: Client, group: SeededGroup
) -> None:
    renewed = await client.post(
        f"/l/{group.leader_token}/renew", data={"confirm": "yes"}, allow_redirects=False
    )
    assert renewed.status == 303
    new_token = renewed.headers["Location"].split("?")[0].removeprefix("/l/")
    start = await client.post(f"/l/{new_token}/start", allow_redirects=False)
    location = start.headers["Location"]
    room = location.removeprefix("https://meet.example.org/").split("?")[0].split("#")[0]
    assert room != group.room and ROOM.fullmatch(room)
    token = hash_params(location)["jwt"]
    assert isinstance(token, str)
    claims = pyjwt.decode(token, JWT_SECRET, algorithms=["HS256"], audience="jitsi")
    assert claims["room"] == room


async def test_a_retired_room_is_never_issued_again(
    client: Client, group: SeededGroup, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = client.app[DATABASE]
    other = (await directory.add_group(db, settings, OPERATOR, "Zweite Gruppe")).group
    first = (await directory.rotate_group(db, settings, OPERATOR, str(group.id))).group
    assert first.room != group.room

    draws = iter(
        [group.room, other.room, first.room, "frisc-hraum-aaaaa-00001", group.room, "frisc-hraum-aaaaa-00002"]
    )
    monkeypatch.setattr(ids, "new_room_name", lambda: next(draws))
    third = (await directory.add_group(db, settings, OPERATOR, "Dritte Gruppe")).group
    assert third.room == "frisc-hraum-aaaaa-00001"  # retired, then another group's, then its own: skipped
    again = (await directory.rotate_group(db, settings, OPERATOR, str(group.id))).group
    assert again.room == "frisc-hraum-aaaaa-00002"


async def test_the_meeting_running_while_the_leader_renews_still_counts_for_the_group(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    db = client.app[DATABASE]
    events = meeting(group.room, START, people(4))
    for path, body in events[:5]:  # created, four joined
        assert await send(client, path, body)
    await directory.rotate_group(db, settings, OPERATOR, str(group.id))
    for path, body in events[5:]:  # the meeting goes on in the old room: left, ..., destroyed
        assert await send(client, path, body)
    [row] = sessions(settings)
    assert row["group_id"] == group.id and row["peak_online"] == 4 and row["ended_at"] is not None
    month = local_date(START).strftime("%Y-%m")
    report = await attendance.monthly_report(db, OPERATOR, month)
    [line] = [g for cp in report.contact_points for g in cp.groups if g.group.id == group.id]
    assert line.totals.meetings == 1 and line.totals.participants == 4


async def test_an_old_room_used_long_after_the_renewal_counts_for_nobody(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    db = client.app[DATABASE]
    await directory.rotate_group(db, settings, OPERATOR, str(group.id))
    backdate_retirement(settings, group.room, 10 * 3600)  # renewed 10 hours ago: the old meeting is over
    recorded = [await send(client, path, body) for path, body in meeting(group.room, START, people(3))]
    assert not any(recorded) and sessions(settings) == []
    census = [CensusRoom(group.room, 3, START)]
    assert await attendance.ingest_census(db, census, int(time.time())) == 0
    assert sessions(settings) == []


async def test_the_census_follows_the_group_into_its_new_room(
    client: Client, group: SeededGroup, settings: Settings
) -> None:
    db = client.app[DATABASE]
    rooms = attendance.RoomDirectory()  # the poller keeps one for its whole life
    now = int(time.time())
    assert await attendance.ingest_census(db, [CensusRoom(group.room, 3, now - 900)], now - 600, rooms) == 1
    renewed = (await directory.rotate_group(db, settings, OPERATOR, str(group.id))).group
    both = [CensusRoom(group.room, 2, now - 900), CensusRoom(renewed.room, 5, now - 120)]
    assert await attendance.ingest_census(db, both, now - 60, rooms) == 1  # one group, two rooms
    assert await attendance.ingest_census(db, [CensusRoom(renewed.room, 4, now - 120)], now, rooms) == 1
    [row] = sessions(settings)
    assert row["group_id"] == group.id and row["peak_online"] == 5
