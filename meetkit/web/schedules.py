"""Group schedules on the web: the public iCalendar feed and the staff API `/api/v1/groups/{id}/schedule`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from meetkit.domain import schedules as sched
from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.domain.failure_budget import SecretKind
from meetkit.services import schedules
from meetkit.web.jsonbody import read_object, text_field
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import check_budget, count_failure

API = "/api/v1"

routes = web.RouteTableDef()


@routes.get("/j/{code}/calendar.ics", name="member_calendar")
async def member_calendar(request: web.Request) -> web.Response:
    """The group's dates as an iCalendar feed for members' calendars (no personal data in it)."""
    client = await check_budget(request, SecretKind.MEMBER_CODE)
    try:
        feed = await schedules.calendar_feed(
            request.app[DATABASE], request.app[SETTINGS], request.match_info["code"]
        )
    except NotFound:
        await count_failure(request, SecretKind.MEMBER_CODE, client)
        raise
    return web.Response(
        body=feed.encode("utf-8"),
        content_type="text/calendar",
        charset="utf-8",
        headers={
            "Content-Disposition": 'inline; filename="treffen.ics"',
            "Cache-Control": "private, max-age=3600",
        },
    )


def _count(request: web.Request) -> int:
    raw = request.query.get("next", str(schedules.NEXT_DATES))
    if not raw.isdigit() or not 0 <= int(raw) <= 100:
        raise InvalidInput("?next= muss eine Zahl von 0 bis 100 sein.")
    return int(raw)


def _date(body: dict[str, Any], name: str, *, required: bool = True) -> dt.date | None:
    text = text_field(body, name, required=required)
    return sched.parse_date(text) if text is not None else None


def _weekday(body: dict[str, Any]) -> int | None:
    value = body.get("weekday")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise InvalidInput('Das Feld \'weekday\' ist ein Name ("thursday", "do") oder 1-7 (1 = Montag).')
    return sched.parse_weekday(value)


def _nth(body: dict[str, Any]) -> int | None:
    value = body.get("nth")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput("Das Feld 'nth' ist 1 bis 5 oder \"last\".")
    return sched.parse_nth(str(value))


def _duration(body: dict[str, Any]) -> int | None:
    value = body.get("duration_minutes")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("Das Feld 'duration_minutes' ist eine ganze Zahl.")
    return value


@routes.get(API + "/groups/{id:[0-9]+}/schedule", name="api_schedule")
async def api_schedule(request: web.Request) -> web.Response:
    """A group's schedule and next dates (`?next=N`, default 3)."""
    view = await schedules.get_schedule(
        request.app[DATABASE], request.match_info["id"], count=_count(request)
    )
    return web.json_response(schedules.view_json(view))


@routes.put(API + "/groups/{id:[0-9]+}/schedule", name="api_schedule_set")
async def api_schedule_set(request: web.Request) -> web.Response:
    """Set a group's rule; without `frequency`, change only the given start, duration or place."""
    body = await read_object(request)
    start = text_field(body, "start", required=False)
    weekday = _weekday(body)
    anchor = _date(body, "anchor", required=False)
    frequency = text_field(body, "frequency", required=False)
    if frequency == "biweekly" and weekday is None and anchor is not None:
        weekday = anchor.weekday()
    view = await schedules.set_schedule(
        request.app[DATABASE],
        request.match_info["id"],
        frequency=frequency,
        weekday=weekday,
        start=sched.parse_time(start) if start is not None else None,
        duration_minutes=_duration(body),
        place=text_field(body, "place", required=False),
        anchor=anchor,
        nth=_nth(body),
        count=_count(request),
    )
    return web.json_response(schedules.view_json(view))


@routes.delete(API + "/groups/{id:[0-9]+}/schedule", name="api_schedule_clear")
async def api_schedule_clear(request: web.Request) -> web.Response:
    """Remove a group's schedule with its extra and cancelled dates."""
    view = await schedules.clear_schedule(request.app[DATABASE], request.match_info["id"])
    return web.json_response(schedules.view_json(view))


@routes.post(API + "/groups/{id:[0-9]+}/schedule/cancel", name="api_schedule_cancel")
async def api_schedule_cancel(request: web.Request) -> web.Response:
    """Cancel one date (`{"date": "2026-04-09"}`)."""
    body = await read_object(request)
    day = _date(body, "date")
    assert day is not None
    view = await schedules.cancel_date(
        request.app[DATABASE], request.match_info["id"], day, count=_count(request)
    )
    return web.json_response(schedules.view_json(view))


@routes.post(API + "/groups/{id:[0-9]+}/schedule/add", name="api_schedule_add")
async def api_schedule_add(request: web.Request) -> web.Response:
    """Add one extra date, or take back a cancellation (`{"date": "2026-04-13"}`)."""
    body = await read_object(request)
    day = _date(body, "date")
    assert day is not None
    view = await schedules.add_date(
        request.app[DATABASE], request.match_info["id"], day, count=_count(request)
    )
    return web.json_response(schedules.view_json(view))


_ERROR = {"$ref": "#/components/responses/Error"}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
_NEXT = {
    "name": "next",
    "in": "query",
    "schema": {"type": "integer", "minimum": 0, "maximum": 100, "default": 3},
}
_VIEW = {
    "description": "The schedule and the next dates",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/GroupSchedule"}}},
}
_DATE_BODY = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["date"],
                "properties": {"date": {"type": "string", "format": "date", "examples": ["2026-04-09"]}},
            }
        }
    },
}

openapi_paths: dict[str, object] = {
    "/groups/{id}/schedule": {
        "get": {
            "summary": "Show a group's schedule and next dates",
            "parameters": [_ID, _NEXT],
            "responses": {"200": _VIEW, "404": _ERROR},
        },
        "put": {
            "summary": "Set a group's schedule (without frequency: change start, duration or place only)",
            "parameters": [_ID, _NEXT],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ScheduleInput"}}},
            },
            "responses": {"200": _VIEW, "400": _ERROR, "404": _ERROR},
        },
        "delete": {
            "summary": "Remove a group's schedule with its extra and cancelled dates",
            "parameters": [_ID],
            "responses": {"200": _VIEW, "404": _ERROR},
        },
    },
    "/groups/{id}/schedule/cancel": {
        "post": {
            "summary": "Cancel the meeting on one date (a regular or an extra one)",
            "parameters": [_ID, _NEXT],
            "requestBody": _DATE_BODY,
            "responses": {"200": _VIEW, "400": _ERROR, "404": _ERROR},
        }
    },
    "/groups/{id}/schedule/add": {
        "post": {
            "summary": "Add an extra meeting on one date, or take back a cancellation",
            "parameters": [_ID, _NEXT],
            "requestBody": _DATE_BODY,
            "responses": {"200": _VIEW, "400": _ERROR, "404": _ERROR},
        }
    },
}

_OCCURRENCE = {
    "type": "object",
    "properties": {
        "date": {"type": "string", "format": "date"},
        "start": {"type": "string", "format": "date-time", "description": "local time with UTC offset"},
        "end": {"type": "string", "format": "date-time"},
        "place": {"type": ["string", "null"]},
        "extra": {"type": "boolean"},
    },
}

openapi_schemas: dict[str, object] = {
    "ScheduleInput": {
        "type": "object",
        "description": "Local wall times in Europe/Berlin; a 5th weekday is skipped in months without one.",
        "properties": {
            "frequency": {"enum": ["weekly", "biweekly", "monthly"]},
            "weekday": {
                "description": 'name ("thursday", "do", "Donnerstag") or ISO number 1-7 (1 = Monday); '
                "for biweekly it defaults to the anchor's weekday",
                "type": ["string", "integer"],
            },
            "start": {"type": "string", "pattern": "^[0-9]{1,2}[:.][0-9]{2}$", "examples": ["19:00"]},
            "duration_minutes": {"type": "integer", "minimum": 1, "maximum": 720, "default": 90},
            "place": {"type": ["string", "null"], "maxLength": 80, "description": '"" removes the place'},
            "anchor": {"type": "string", "format": "date", "description": "biweekly only: a meeting day"},
            "nth": {"description": 'monthly only: 1-5 or "last"', "type": ["integer", "string"]},
        },
    },
    "GroupSchedule": {
        "type": "object",
        "properties": {
            "group_id": {"type": "integer"},
            "schedule": {
                "type": ["object", "null"],
                "properties": {
                    "frequency": {"enum": ["weekly", "biweekly", "monthly"]},
                    "weekday": {"type": "string", "examples": ["thursday"]},
                    "start": {"type": "string", "examples": ["19:00"]},
                    "duration_minutes": {"type": "integer"},
                    "place": {"type": ["string", "null"]},
                    "anchor": {"type": ["string", "null"], "format": "date"},
                    "nth": {"type": ["integer", "string", "null"]},
                    "timezone": {"type": "string", "examples": ["Europe/Berlin"]},
                    "description": {"type": "string"},
                    "extra_dates": {"type": "array", "items": {"type": "string", "format": "date"}},
                    "cancelled_dates": {"type": "array", "items": {"type": "string", "format": "date"}},
                },
            },
            "next": {"type": "array", "items": _OCCURRENCE},
        },
    },
}
