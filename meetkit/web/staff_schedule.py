"""The schedule editor on a group's staff page: preview (also as you type) and save a rule, single dates."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain.errors import InvalidInput
from meetkit.services import schedules
from meetkit.services.schedules import ScheduleView
from meetkit.web.forms import read_form
from meetkit.web.keys import DATABASE
from meetkit.web.schedule_form import (
    FIELDS,
    FieldError,
    RuleInput,
    read_day,
    read_own_time,
    read_rule,
    rule_field,
)
from meetkit.web.staff_group_page import group_id_of, group_page_response
from meetkit.web.staff_session import render, scope, with_lang

routes = web.RouteTableDef()
SCHEDULE_ANCHOR = "#schedule-title"


def _saved(request: web.Request, group_id: int, what: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(with_lang(request, f"/staff/groups/{group_id}", saved=what) + SCHEDULE_ANCHOR)


async def _previewed(request: web.Request, group_id: int, rule: RuleInput) -> ScheduleView:
    """The next dates the rule would give; a mistake in how its parts fit is named by its field."""
    try:
        return await schedules.preview_schedule(
            request.app[DATABASE], scope(request), group_id, **rule.as_arguments()
        )
    except InvalidInput as error:
        raise FieldError(rule_field(rule.frequency), error) from None


@routes.post("/staff/groups/{id}/schedule", name="staff_group_schedule")
async def schedule_change(request: web.Request) -> web.StreamResponse:
    """Preview the next dates of the rule typed (`action=preview`) or save it; mistakes next to their field."""
    group_id = group_id_of(request)
    db, who = request.app[DATABASE], scope(request)
    form = await read_form(request)
    entered = {name: form.get(name, "") for name in FIELDS}
    await schedules.get_schedule(db, who, group_id)  # outside the scope: 404 before anything is read
    try:
        rule = read_rule(entered)
        if form.get("action") == "preview":
            view = await _previewed(request, group_id, rule)
            return await group_page_response(
                request, group_id, schedule_entered=entered, upcoming=view.upcoming, previewed=True
            )
        await schedules.set_schedule(db, who, group_id, **rule.as_arguments())
    except FieldError as mistake:
        return await group_page_response(
            request, group_id, error=mistake.error, field=mistake.field, schedule_entered=entered
        )
    except InvalidInput as error:
        return await group_page_response(
            request, group_id, error=error, field=rule_field(entered["frequency"]), schedule_entered=entered
        )
    raise _saved(request, group_id, "schedule")


@routes.post("/staff/groups/{id}/schedule/preview", name="staff_group_schedule_preview")
async def schedule_preview(request: web.Request) -> web.StreamResponse:
    """The next dates of the rule typed so far as a small HTML fragment (the editor's script asks as you type)."""
    group_id = group_id_of(request)
    form = await read_form(request)
    await schedules.get_schedule(request.app[DATABASE], scope(request), group_id)  # outside the scope: 404
    try:
        view = await _previewed(request, group_id, read_rule({name: form.get(name, "") for name in FIELDS}))
    except FieldError as mistake:
        return render(request, "schedule_preview.html", error=mistake.error, field=mistake.field, upcoming=())
    return render(request, "schedule_preview.html", upcoming=view.upcoming, previewed=True)


@routes.post("/staff/groups/{id}/schedule/date", name="staff_group_schedule_date")
async def schedule_date(request: web.Request) -> web.StreamResponse:
    """Cancel one meeting (`action=cancel`) or add a single one (`action=add`, at its own time if typed)."""
    group_id = group_id_of(request)
    db, who = request.app[DATABASE], scope(request)
    form = await read_form(request)
    await schedules.get_schedule(db, who, group_id)
    action = "cancel" if form.get("action") == "cancel" else "add"
    field = f"{action}_date"
    try:
        day = read_day(form, field)
        if action == "cancel":
            await schedules.cancel_date(db, who, group_id, day)
        else:
            await schedules.add_date(db, who, group_id, day, own=read_own_time(form))
    except FieldError as mistake:
        return await group_page_response(
            request, group_id, error=mistake.error, field=mistake.field, dates=form
        )
    except InvalidInput as error:
        return await group_page_response(request, group_id, error=error, field=field, dates=form)
    raise _saved(request, group_id, "date")


@routes.post("/staff/groups/{id}/schedule/clear", name="staff_group_schedule_clear")
async def schedule_clear(request: web.Request) -> web.StreamResponse:
    """Remove the rule with all its single dates (the group then has no dates on pages and sheets)."""
    group_id = group_id_of(request)
    await schedules.clear_schedule(request.app[DATABASE], scope(request), group_id)
    raise _saved(request, group_id, "cleared")
