"""Every JSON reader (staff API, kiosk, webhooks, census, check-jitsi) refuses hostile JSON with a clear message."""

from __future__ import annotations

import json
import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.jitsi.census import CensusError, parse_census
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup

Client = TestClient[web.Request, web.Application]
EVENTS_AUTH = {"Authorization": "Bearer events-secret-0123456789abcdef0123456789"}

# name: (JSON body text, words the answer must contain)
HOSTILE: dict[str, tuple[str, str]] = {
    "nested 3000 deep": ('{"name": ' + "[" * 3000 + "]" * 3000 + "}", "zu tief verschachtelt"),
    "nested 60000 deep, unclosed": ("[" * 60_000, "zu tief verschachtelt"),
    "lone surrogate": ('{"name": "Trauer \\ud800"}', "ungültiges Zeichen"),
    "lone surrogate in a key": ('{"\\udfff": 1, "name": "Trauer"}', "ungültiges Zeichen"),
    "NaN": ('{"name": "Trauer", "n": NaN}', "endliche Zahl"),
    "Infinity": ('{"name": "Trauer", "n": Infinity}', "endliche Zahl"),
    "-Infinity": ('{"name": "Trauer", "n": -Infinity}', "endliche Zahl"),
    "1e400": ('{"name": "Trauer", "n": 1e400}', "endliche Zahl"),
    "huge integer": ('{"name": "Trauer", "n": ' + "9" * 5000 + "}", "zu groß"),
}
CASES = sorted(HOSTILE)


def webhook(case: str, room: str) -> bytes:
    """The hostile part inside an otherwise valid room/created webhook."""
    text, _ = HOSTILE[case]
    if case.endswith("unclosed"):
        return text.encode()
    return text.replace('"name": "Trauer"', f'"room_name": "{room}", "created_at": 1').encode()


@pytest.mark.parametrize("case", CASES)
async def test_the_staff_api_answers_400_and_stores_nothing(
    client: Client, api_token: str, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    text, words = HOSTILE[case]
    response = await client.post(
        "/api/v1/contact-points",
        data=text.encode(),
        headers={"Authorization": f"Bearer {api_token}", "Content-Type": "application/json"},
    )
    assert response.status == 400, await response.text()
    assert words in (await response.json())["error"]
    listed = await client.get("/api/v1/contact-points", headers={"Authorization": f"Bearer {api_token}"})
    assert (await listed.json())["contact_points"] == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("case", CASES)
async def test_webhooks_answer_400(client: Client, group: SeededGroup, case: str) -> None:
    response = await client.post(
        "/jitsi/events/room/created", data=webhook(case, group.room), headers=EVENTS_AUTH
    )
    assert response.status == 400, await response.text()
    assert HOSTILE[case][1] in (await response.json())["error"]


@pytest.mark.parametrize("moment", ["NaN", "Infinity", "-Infinity", "1e400"])
@pytest.mark.parametrize("path", ["room/created", "room/destroyed", "occupant/joined", "occupant/left"])
async def test_webhook_times_must_be_finite(
    client: Client, group: SeededGroup, path: str, moment: str
) -> None:
    if path.startswith("room/"):
        body = f'{{"room_name": "{group.room}", "{path[5:]}_at": {moment}}}'
    else:
        field = "joined_at" if path.endswith("joined") else "left_at"
        body = f'{{"room_name": "{group.room}", "active_occupants_count": 1, "occupant": {{"{field}": {moment}}}}}'
    response = await client.post(f"/jitsi/events/{path}", data=body.encode(), headers=EVENTS_AUTH)
    assert response.status == 400
    assert "endliche Zahl" in (await response.json())["error"]
    assert (
        await client.app[DATABASE].read(
            lambda conn: conn.execute("SELECT COUNT(*) FROM meeting_sessions").fetchone()[0]
        )
        == 0
    )


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_census_is_a_census_error(case: str) -> None:
    text, _ = HOSTILE[case]
    census = text.replace('"name": "Trauer"', '"room_census": []')
    with pytest.raises(CensusError, match="not JSON"):
        parse_census(census.encode(), "muc.meet.jitsi")


def test_plain_json_still_parses() -> None:
    body = json.dumps({"room_census": [{"room_name": "abc@muc.meet.jitsi", "participants": 2, "x": 1.5}]})
    [room] = parse_census(body.encode(), "muc.meet.jitsi")
    assert (room.room, room.occupants) == ("abc", 2)
