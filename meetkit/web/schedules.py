"""Group schedules on the web: the public iCalendar feed and the staff API `/api/v1/groups/{id}/schedule`."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain import schedule_parsing
from meetkit.domain import schedules as sched
from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.domain.failure_budget import SecretKind
from meetkit.services import schedules
from meetkit.services.schedules import DEFAULT_DURATION
from meetkit.web.apimodels import AddDateInput, DateInput, GroupPath, GroupSchedule, NextQuery, ScheduleInput
from meetkit.web.apiroutes import ApiRoutes, api_scope
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import check_budget, count_failure

routes = web.RouteTableDef()
api_routes = ApiRoutes(routes)


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


def _answer(view: schedules.ScheduleView) -> GroupSchedule:
    return GroupSchedule.model_validate(schedules.view_json(view))


@api_routes.get("/groups/{id}/schedule", name="api_schedule")
async def api_schedule(request: web.Request, path: GroupPath, query: NextQuery) -> GroupSchedule:
    """Show a group's schedule and next dates."""
    return _answer(
        await schedules.get_schedule(request.app[DATABASE], api_scope(request), path.id, count=query.next)
    )


@api_routes.put("/groups/{id}/schedule", name="api_schedule_set")
async def api_schedule_set(
    request: web.Request, path: GroupPath, query: NextQuery, body: ScheduleInput
) -> GroupSchedule:
    """Set a group's schedule (without frequency: change start, duration or place only)."""
    weekday = schedule_parsing.parse_weekday(str(body.weekday)) if body.weekday is not None else None
    anchor = schedule_parsing.parse_date(body.anchor) if body.anchor is not None else None
    if body.frequency == "biweekly" and weekday is None and anchor is not None:
        weekday = anchor.weekday()
    view = await schedules.set_schedule(
        request.app[DATABASE],
        api_scope(request),
        path.id,
        frequency=body.frequency,
        weekday=weekday,
        start=schedule_parsing.parse_time(body.start) if body.start is not None else None,
        duration_minutes=body.duration_minutes,
        place=body.place,
        anchor=anchor,
        nth=schedule_parsing.parse_nth(str(body.nth)) if body.nth is not None else None,
        count=query.next,
    )
    return _answer(view)


@api_routes.delete("/groups/{id}/schedule", name="api_schedule_clear")
async def api_schedule_clear(request: web.Request, path: GroupPath) -> GroupSchedule:
    """Remove a group's schedule with its extra and cancelled dates."""
    return _answer(await schedules.clear_schedule(request.app[DATABASE], api_scope(request), path.id))


@api_routes.post("/groups/{id}/schedule/cancel", name="api_schedule_cancel")
async def api_schedule_cancel(
    request: web.Request, path: GroupPath, query: NextQuery, body: DateInput
) -> GroupSchedule:
    """Cancel the meeting on one date (a regular or an extra one)."""
    day = schedule_parsing.parse_date(body.date)
    return _answer(
        await schedules.cancel_date(request.app[DATABASE], api_scope(request), path.id, day, count=query.next)
    )


@api_routes.post("/groups/{id}/schedule/add", name="api_schedule_add")
async def api_schedule_add(
    request: web.Request, path: GroupPath, query: NextQuery, body: AddDateInput
) -> GroupSchedule:
    """Add a meeting on one date (at its own time if `start` is given), or take back a cancellation."""
    day = schedule_parsing.parse_date(body.date)
    own = None
    if body.start is not None:
        own = sched.OwnTime(
            schedule_parsing.parse_time(body.start), body.duration_minutes or DEFAULT_DURATION
        )
    elif body.duration_minutes is not None:
        raise InvalidInput("Eine eigene Dauer nur zusammen mit einer eigenen Anfangszeit (start).")
    return _answer(
        await schedules.add_date(
            request.app[DATABASE], api_scope(request), path.id, day, own=own, count=query.next
        )
    )
