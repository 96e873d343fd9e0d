"""Schedules over HTTP: the staff API, the OpenAPI document and the members' iCalendar feed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, schedules
from meetkit.web.keys import DATABASE
from tests.conftest import SeededGroup

Client = TestClient[web.Request, web.Application]
BERLIN = ZoneInfo("Europe/Berlin")


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def future(weekday: int) -> dt.date:
    day = dt.datetime.now(BERLIN).date() + dt.timedelta(days=8)
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


async def test_schedule_api_round_trip(client: Client, group: SeededGroup, api_token: str) -> None:
    url = f"/api/v1/groups/{group.id}/schedule"
    headers = auth(api_token)
    assert (await client.get(url)).status == 401  # staff only

    empty = await (await client.get(url, headers=headers)).json()
    assert empty == {"group_id": group.id, "schedule": None, "next": []}

    put = await client.put(
        url + "?next=4",
        json={
            "frequency": "weekly",
            "weekday": "do",
            "start": "19:00",
            "duration_minutes": 120,
            "place": "Raum 2",
        },
        headers=headers,
    )
    assert put.status == 200, await put.text()
    data = await put.json()
    assert data["schedule"]["weekday"] == "thursday" and data["schedule"]["duration_minutes"] == 120
    assert len(data["next"]) == 4 and data["next"][0]["place"] == "Raum 2"

    thursday = future(3)
    cancelled = await client.post(url + "/cancel", json={"date": thursday.isoformat()}, headers=headers)
    assert cancelled.status == 200
    assert (await cancelled.json())["schedule"]["cancelled_dates"] == [thursday.isoformat()]
    added = await client.post(url + "/add", json={"date": future(5).isoformat()}, headers=headers)
    assert (await added.json())["schedule"]["extra_dates"] == [future(5).isoformat()]

    partial = await client.put(url, json={"place": ""}, headers=headers)
    assert (await partial.json())["schedule"]["place"] is None

    monthly = await client.put(
        url, json={"frequency": "monthly", "nth": "last", "weekday": 5, "start": "18:00"}, headers=headers
    )
    assert (await monthly.json())["schedule"]["weekday"] == "friday"  # ISO 5 = Friday
    biweekly = await client.put(
        url, json={"frequency": "biweekly", "anchor": future(1).isoformat(), "start": "9.30"}, headers=headers
    )
    assert (await biweekly.json())["schedule"]["weekday"] == "tuesday"  # from the anchor

    deleted = await client.delete(url, headers=headers)
    assert deleted.status == 200 and (await deleted.json())["schedule"] is None


async def test_schedule_api_errors_are_clear_json(client: Client, group: SeededGroup, api_token: str) -> None:
    url = f"/api/v1/groups/{group.id}/schedule"
    headers = auth(api_token)
    bad = await client.put(
        url, json={"frequency": "weekly", "weekday": "xx", "start": "19:00"}, headers=headers
    )
    assert bad.status == 400 and "Wochentag" in (await bad.json())["error"]
    fifth = await client.put(
        url, json={"frequency": "monthly", "nth": 6, "weekday": "di", "start": "19:00"}, headers=headers
    )
    assert fifth.status == 400 and "1 bis 5" in (await fifth.json())["error"]
    no_rule = await client.post(url + "/cancel", json={"date": future(2).isoformat()}, headers=headers)
    assert no_rule.status == 400
    bad_date = await client.post(url + "/add", json={"date": "31.02.2026"}, headers=headers)
    assert bad_date.status == 400 and "Datum" in (await bad_date.json())["error"]
    missing = await client.get("/api/v1/groups/999/schedule", headers=headers)
    assert missing.status == 404
    assert (await client.get(url + "?next=x", headers=headers)).status == 400


async def test_openapi_documents_schedules(client: Client) -> None:
    doc = await (await client.get("/api/v1/openapi.json")).json()
    assert {"get", "put", "delete"} <= set(doc["paths"]["/groups/{id}/schedule"])
    assert "post" in doc["paths"]["/groups/{id}/schedule/cancel"]
    assert "post" in doc["paths"]["/groups/{id}/schedule/add"]
    assert {"ScheduleInput", "GroupSchedule"} <= set(doc["components"]["schemas"])


async def test_calendar_feed_over_http(client: Client, group: SeededGroup) -> None:
    db = client.app[DATABASE]
    await schedules.set_schedule(
        db, OPERATOR, str(group.id), frequency="weekly", weekday=0, start=dt.time(19), place="Raum 1"
    )
    response = await client.get(group.member_path + "/calendar.ics")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = await response.text()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Angehörige Sucht" in body and "LOCATION:Raum 1" in body
    for secret in (group.room, group.member_code, group.leader_token):
        assert secret not in body
    for prop in ("ATTENDEE", "ORGANIZER", "CONTACT", "DESCRIPTION"):
        assert f"\r\n{prop}" not in body
    assert (await client.get("/j/aaaaa-bbbbb/calendar.ics")).status == 404


async def test_calendar_feed_neutral_when_names_are_hidden(client: Client, settings: Settings) -> None:
    db = client.app[DATABASE]
    await directory.add_contact_point(db, OPERATOR, "Diskret", slug="diskret", show_group_names=False)
    issued = await directory.add_group(db, settings, OPERATOR, "Depression Nord", "diskret")
    await schedules.set_schedule(
        db, OPERATOR, str(issued.group.id), frequency="weekly", weekday=1, start=dt.time(18)
    )
    code = issued.group.member_code
    body = await (await client.get(f"/j/{code}/calendar.ics")).text()
    assert "Depression" not in body and "SUMMARY:Gruppentreffen" in body


async def test_member_page_shows_the_next_three_dates(client: Client, group: SeededGroup) -> None:
    before = await (await client.get(group.member_path)).text()
    assert "Die nächsten Treffen" not in before  # no schedule, no section
    db = client.app[DATABASE]
    view = await schedules.set_schedule(
        db, OPERATOR, str(group.id), frequency="weekly", weekday=2, start=dt.time(18, 30), place="Raum <2>"
    )
    html = await (await client.get(group.member_path)).text()
    assert "Die nächsten Treffen" in html
    months = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober"]
    months += ["November", "Dezember"]  # the day in words, as the sheet writes it
    for occ in view.upcoming:
        day = f"Mittwoch, {occ.start.day}. {months[occ.start.month - 1]} {occ.start.year}"
        assert f"{day}</strong>, 18:30 bis 20:00 Uhr, Raum &lt;2&gt;" in html
    assert html.count("<li><strong>Mittwoch") == 3
    assert f'href="https://treffen.example.org{group.member_path}/calendar.ics"' in html
    english = await (await client.get(group.member_path + "?lang=en")).text()
    assert "The next meetings" in english and "Wednesday" in english
    assert "18:30 to 20:00" in english  # English times as on the English sheet
