"""Hand counts through services.attendance.record_headcount: last write wins, validation, storage."""

from __future__ import annotations

import datetime as dt

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.domain.attendance_times import local_today
from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.services import attendance
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup

Client = TestClient[web.Request, web.Application]


async def test_repeated_headcounts_replace_and_never_add_up(client: Client, group: SeededGroup) -> None:
    db = client.app[DATABASE]
    day = local_today()
    await attendance.record_headcount(db, group.id, day, 5, 1, "leader")
    await attendance.record_headcount(db, group.id, day, 4, 2, "leader")
    await attendance.record_headcount(db, group.id, day, 6, None, "kiosk")  # None keeps the phone count
    [meeting] = await attendance.last_meetings(db, group.id)
    assert meeting.meeting_date == day
    assert (meeting.in_room, meeting.phone) == (6, 2)
    assert meeting.started_at is None and meeting.peak_online == 0
    assert meeting.sources == 4 | 8  # leader and kiosk


async def test_headcounts_for_different_days_are_different_meetings(
    client: Client, group: SeededGroup
) -> None:
    db = client.app[DATABASE]
    today = local_today()
    await attendance.record_headcount(db, group.id, today - dt.timedelta(days=7), 3, 0, "leader")
    await attendance.record_headcount(db, group.id, today, 4, 0, "kiosk")
    meetings = await attendance.last_meetings(db, group.id)
    assert [(m.meeting_date, m.in_room) for m in meetings] == [(today, 4), (today - dt.timedelta(days=7), 3)]


@pytest.mark.parametrize(
    ("in_room", "phone", "source", "days_ahead"),
    [
        (-1, None, "leader", 0),
        (501, None, "leader", 0),
        (3, None, "census", 0),
        (3, None, "x", 0),
        (3, 1, "leader", 1),
    ],
)
async def test_implausible_headcounts_are_refused(
    client: Client, group: SeededGroup, in_room: int, phone: int | None, source: str, days_ahead: int
) -> None:
    day = local_today() + dt.timedelta(days=days_ahead)
    with pytest.raises(InvalidInput):
        await attendance.record_headcount(client.app[DATABASE], group.id, day, in_room, phone, source)
    assert await attendance.last_meetings(client.app[DATABASE], group.id) == []


async def test_headcount_for_an_unknown_group_is_not_found(client: Client) -> None:
    with pytest.raises(NotFound):
        await attendance.record_headcount(client.app[DATABASE], 999, local_today(), 3, 0, "kiosk")
