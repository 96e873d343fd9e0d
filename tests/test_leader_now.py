"""The leader page says whether a meeting is on now: people in the room (from Jitsi's event_sync, here its
stand-in's exact payloads) or, with nobody in yet, the planned meeting time of this moment."""

from __future__ import annotations

import datetime as dt
import time

from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.domain.schedules import TIMEZONE
from meetkit.domain.scope import OPERATOR
from meetkit.services import schedules
from meetkit.web.keys import DATABASE
from tests.conftest import BASE_ENV, SeededGroup
from tests.standins.event_sync import EventSyncRoom, people

Client = TestClient[web.Request, web.Application]
EVENTS_AUTH = {"Authorization": f"Bearer {BASE_ENV['MEETKIT_EVENTS_SECRET']}"}


async def _leader_page(client: Client, group: SeededGroup) -> str:
    response = await client.get(f"/l/{group.leader_token}")
    assert response.status == 200
    return await response.text()


async def _send(client: Client, event: tuple[str, dict[str, object]]) -> None:
    path, body = event
    response = await client.post(f"/jitsi/events/{path}", json=body, headers=EVENTS_AUTH)
    assert response.status == 200, await response.text()


async def test_the_leader_page_shows_a_meeting_while_people_are_in_the_room(
    client: Client, group: SeededGroup
) -> None:
    assert "Gerade läuft ein Treffen" not in await _leader_page(client, group)
    now = int(time.time())
    room = EventSyncRoom(group.room, now - 60)
    erika, max_, lena = people(3)
    for event in (room.created(), room.joined(erika, now - 50), room.joined(max_, now - 40)):
        await _send(client, event)
    await _send(client, room.joined(lena, now - 30))
    assert "Gerade läuft ein Treffen: 3 Personen sind im Raum." in await _leader_page(client, group)
    await _send(client, room.left(lena, now - 20))
    assert "Gerade läuft ein Treffen: 2 Personen sind im Raum." in await _leader_page(client, group)
    for event in (room.left(erika, now - 10), room.left(max_, now - 5), room.destroyed(now)):
        await _send(client, event)
    assert "Gerade läuft ein Treffen" not in await _leader_page(client, group)


async def test_the_leader_page_shows_the_planned_meeting_time_of_this_moment(
    client: Client, group: SeededGroup
) -> None:
    now = dt.datetime.now(TIMEZONE)
    start = now.replace(
        minute=now.minute - now.minute % 5, second=0, microsecond=0
    )  # at or before now, today
    await schedules.set_schedule(
        client.app[DATABASE],
        OPERATOR,
        group.id,
        frequency="weekly",
        weekday=now.weekday(),
        start=start.time(),
        duration_minutes=90,
    )
    end = start + dt.timedelta(minutes=90)
    expected = f"Jetzt ist Ihre Treffzeit ({start:%H:%M} bis {end:%H:%M} Uhr)."
    assert expected in await _leader_page(client, group)
