"""Links a leader hands out: a guest's link for one meeting date, and the one-time hand-over link."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from meetkit.domain import ids
from meetkit.jitsi.urls import room_url
from meetkit.services import leader_links
from meetkit.web.forms import read_form
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import guarded
from meetkit.web.privacy import footer_links

routes = web.RouteTableDef()


@routes.get("/g/{guest_token}", name="guest_page")
async def guest_page(request: web.Request) -> web.StreamResponse:
    """A guest's page: the join button on the link's date only; before it, the date; after it, used up."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    token = request.match_info["guest_token"]
    visit = await guarded(request, lambda: leader_links.guest_visit(db, token))
    room_lang = request_language(request)  # Jitsi speaks German or English
    context = {
        "lang": request_language(request, easy_read=True),
        "visit": visit,
        "join_url": room_url(settings, visit.view.group.room, lang=room_lang) if visit.usable else None,
        **footer_links(request),
    }
    return aiohttp_jinja2.render_template("guest.html", request, context)


@routes.get("/handover/{handover_token}", name="handover_page")
async def handover_page(request: web.Request) -> web.StreamResponse:
    """Confirm taking over a group as its new leader."""
    db, token = request.app[DATABASE], request.match_info["handover_token"]
    view = await guarded(request, lambda: leader_links.handover_group(db, token))
    context = {
        "lang": request_language(request, easy_read=True),
        "view": view,
        "token": token,
        "submission": ids.new_secret_token(),
        **footer_links(request),
    }
    return aiohttp_jinja2.render_template("handover.html", request, context)


@routes.post("/handover/{handover_token}", name="handover_take")
async def handover_take(request: web.Request) -> web.StreamResponse:
    """Take over: a new leader link for this browser; the old leader link stops at once."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    token, lang = request.match_info["handover_token"], request_language(request, easy_read=True)
    form = await read_form(request)
    leader_token = await guarded(
        request, lambda: leader_links.take_over(db, settings, token, form.get("submission", ""))
    )
    raise web.HTTPSeeOther(f"/l/{leader_token}?handed_over=1&lang={lang}")
