"""Leader page actions: the meeting plan, guest links, hand-over, and a printable copy of the leader link."""

from __future__ import annotations

import datetime as dt

import aiohttp_jinja2
from aiohttp import web
from markupsafe import Markup

from meetkit.domain import schedule_parsing
from meetkit.domain.errors import InvalidInput
from meetkit.domain.links import leader_url
from meetkit.domain.meeting_plan import DATE_MISSING, read_own_time, read_plan
from meetkit.domain.numbers import parse_id
from meetkit.domain.scope import LEADER_LINK
from meetkit.qr import qr_svg
from meetkit.services import leader_links, schedules
from meetkit.services.directory import GroupView
from meetkit.web.errors import show_invalid_input_on
from meetkit.web.forms import read_form
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import leader_view
from meetkit.web.pages import leader_context

routes = web.RouteTableDef()


def _back(request: web.Request, saved: str, anchor: str) -> web.HTTPSeeOther:
    token, lang = request.match_info["token"], request_language(request, easy_read=True)
    return web.HTTPSeeOther(f"/l/{token}?saved={saved}&lang={lang}#{anchor}")


async def _leader_page(
    request: web.Request, view: GroupView, status: int = 200, **extra: object
) -> web.Response:
    context = await leader_context(request, view)
    context.update(extra)
    return aiohttp_jinja2.render_template("leader.html", request, context, status=status)


def _errors_next_to(request: web.Request, view: GroupView, section: str, entered: dict[str, str]) -> None:
    """Show wrong input of this request on the leader page, next to the form of `section`."""

    async def page(message: str, status: int) -> web.StreamResponse:
        return await _leader_page(request, view, status, form_errors={section: message}, entered=entered)

    show_invalid_input_on(page)


def _day(text: str) -> dt.date:
    if not text.strip():
        raise InvalidInput(DATE_MISSING)
    return schedule_parsing.parse_date(text)


@routes.post("/l/{token}/plan", name="leader_plan")
async def leader_plan(request: web.Request) -> web.StreamResponse:
    """Change the rhythm (or choose "no fixed time")."""
    view = await leader_view(request)
    form = await read_form(request)
    _errors_next_to(request, view, "plan", form)
    plan = read_plan(form, dt.datetime.now(dt.UTC))
    await leader_links.set_plan(request.app[DATABASE], view.group.id, plan)
    raise _back(request, "plan", "plan")


@routes.post("/l/{token}/plan/cancel", name="leader_plan_cancel")
async def leader_plan_cancel(request: web.Request) -> web.StreamResponse:
    """Cancel the meeting on one date."""
    view = await leader_view(request)
    form = await read_form(request)
    _errors_next_to(request, view, "dates", form)
    await schedules.cancel_date(request.app[DATABASE], LEADER_LINK, view.group.id, _day(form.get("date", "")))
    raise _back(request, "cancelled", "plan")


@routes.post("/l/{token}/plan/add", name="leader_plan_add")
async def leader_plan_add(request: web.Request) -> web.StreamResponse:
    """Add a meeting on one date, at the time typed (empty: the regular time); the place stays."""
    db = request.app[DATABASE]
    view = await leader_view(request)
    form = await read_form(request)
    _errors_next_to(request, view, "extra", form)
    day = _day(form.get("date", ""))
    await schedules.add_date(db, LEADER_LINK, view.group.id, day, own=read_own_time(form))
    raise _back(request, "added", "plan")


@routes.post("/l/{token}/guests", name="leader_guest_add")
async def leader_guest_add(request: web.Request) -> web.StreamResponse:
    """Make a guest link for one date; it is shown on this answer only."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    view = await leader_view(request)
    form = await read_form(request)
    _errors_next_to(request, view, "guests", form)
    day = _day(form.get("date", ""))
    token = await leader_links.create_guest_link(db, view.group.id, day)
    return await _leader_page(
        request, view, new_guest_url=leader_links.guest_url(settings, token), new_guest_day=day
    )


@routes.post("/l/{token}/guests/{id}/withdraw", name="leader_guest_withdraw")
async def leader_guest_withdraw(request: web.Request) -> web.StreamResponse:
    """Withdraw a guest link: it stops at once."""
    view = await leader_view(request)
    guest_id = parse_id(request.match_info["id"], "Gast-Link")
    await leader_links.withdraw_guest_link(request.app[DATABASE], view.group.id, guest_id)
    raise _back(request, "guest_withdrawn", "guests")


@routes.post("/l/{token}/handover", name="leader_handover_add")
async def leader_handover_add(request: web.Request) -> web.StreamResponse:
    """Make the one-time hand-over link for a new leader; it is shown on this answer only."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    view = await leader_view(request)
    token, expires_at = await leader_links.open_handover(db, view.group.id)
    return await _leader_page(
        request,
        view,
        new_handover_url=leader_links.handover_url(settings, token),
        new_handover_expires=expires_at,
    )


@routes.get("/l/{token}/card", name="leader_card")
async def leader_card(request: web.Request) -> web.StreamResponse:
    """A printable page with the leader link as text and QR code, to keep somewhere safe."""
    settings = request.app[SETTINGS]
    view = await leader_view(request)
    url = leader_url(settings.public_url, request.match_info["token"])
    context = {
        "lang": request_language(request, easy_read=True),
        "view": view,
        "own_url": url,
        "own_qr": Markup(qr_svg(url)),  # noqa: S704 - our own SVG: digits and path letters only
        "token": request.match_info["token"],
    }
    return aiohttp_jinja2.render_template("leader_card.html", request, context)
