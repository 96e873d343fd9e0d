"""A leader's invitation at `/invite/{invite_token}`: name the group, set the meeting time, get the links."""

from __future__ import annotations

import datetime as dt

import aiohttp_jinja2
from aiohttp import web

from meetkit.domain import ids
from meetkit.domain import invitations as rules
from meetkit.domain.meeting_plan import DEFAULT_DURATION, DURATIONS, read_plan
from meetkit.domain.schedules import TIMEZONE
from meetkit.services import invitations
from meetkit.web.errors import show_invalid_input_on
from meetkit.web.forms import read_form
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import guarded
from meetkit.web.privacy import footer_links

routes = web.RouteTableDef()


def plan_choices(now: dt.datetime) -> dict[str, object]:
    """What the meeting-time form offers: durations and the earliest date."""
    return {
        "durations": DURATIONS,
        "default_duration": DEFAULT_DURATION,
        "today": now.astimezone(TIMEZONE).date().isoformat(),
    }


def _page(request: web.Request, step: int, status: int = 200, **context: object) -> web.Response:
    base = {
        "lang": request_language(request, easy_read=True),
        **footer_links(request),
        "token": request.match_info["invite_token"],
        "step": step,
        "max_name": rules.MAX_GROUP_NAME_LENGTH,
        **plan_choices(dt.datetime.now(dt.UTC)),
    }
    return aiohttp_jinja2.render_template("invite.html", request, {**base, **context}, status=status)


@routes.get("/invite/{invite_token}", name="invite_page")
async def invite_page(request: web.Request) -> web.StreamResponse:
    """Step 1 of 3: name the group (with the hint where the name appears)."""
    db, token = request.app[DATABASE], request.match_info["invite_token"]
    _invitation, contact_point = await guarded(request, lambda: invitations.open_invitation(db, token))
    return _page(request, 1, contact_point=contact_point, entered={})


@routes.post("/invite/{invite_token}", name="invite_submit")
async def invite_submit(request: web.Request) -> web.StreamResponse:
    """Steps 1 and 2 sent: show the next step, or create the group (once) and go to the leader page."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    token, lang = request.match_info["invite_token"], request_language(request, easy_read=True)
    form = await read_form(request)
    step = form.get("step", "")
    if step != "plan":
        _invitation, contact_point = await guarded(request, lambda: invitations.open_invitation(db, token))

        async def name_error(message: str, status: int) -> web.StreamResponse:
            return _form_error(request, 1, message, status, form, contact_point)

        show_invalid_input_on(name_error)
        if step == "back":
            return _page(request, 1, contact_point=contact_point, entered=form)
        form["name"] = rules.clean_group_name(form.get("name", ""))
        return _page(request, 2, contact_point=contact_point, entered=form, submission=ids.new_secret_token())

    async def plan_error(message: str, status: int) -> web.StreamResponse:
        _invitation, contact_point = await guarded(request, lambda: invitations.open_invitation(db, token))
        step_shown = 1 if message in NAME_MESSAGES else 2
        return _form_error(request, step_shown, message, status, form, contact_point)

    show_invalid_input_on(plan_error)
    now = dt.datetime.now(dt.UTC)
    plan = read_plan(form, now)
    leader_token = await guarded(
        request,
        lambda: invitations.accept_invitation(
            db, settings, token, form.get("submission", ""), form.get("name", ""), plan, now
        ),
    )
    raise web.HTTPSeeOther(f"/l/{leader_token}?welcome=1&lang={lang}")


NAME_MESSAGES = frozenset({rules.NAME_EMPTY, rules.NAME_TOO_LONG, rules.NAME_UNPRINTABLE})


def _form_error(
    request: web.Request, step: int, message: str, status: int, form: dict[str, str], contact_point: object
) -> web.Response:
    submission = form.get("submission") or ids.new_secret_token()
    return _page(
        request, step, status, contact_point=contact_point, entered=form, error=message, submission=submission
    )
