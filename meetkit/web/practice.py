"""The practice room ("Technik ausprobieren"): a contact point's step-by-step page and its always-open room."""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from meetkit.domain.links import practice_path
from meetkit.domain.practice_rooms import practice_room_name
from meetkit.jitsi.tokens import mint_opener_token
from meetkit.jitsi.urls import room_url
from meetkit.rendering import with_language
from meetkit.services.practice_rooms import practice_contact_point
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.member_view import jitsi_language, tel_href, unbroken
from meetkit.web.privacy import footer_links

routes = web.RouteTableDef()


@routes.get("/ueben/{slug}", name="practice_page")
@aiohttp_jinja2.template("practice.html")
async def practice_page(request: web.Request) -> dict[str, object]:
    """How to try camera, microphone and sound, the help phone, and the button into the practice room."""
    slug, lang = request.match_info["slug"], request_language(request, easy_read=True)
    contact_point = await practice_contact_point(request.app[DATABASE], slug)
    return {
        "lang": lang,
        "contact_point": contact_point,
        "room_url": with_language(practice_path(contact_point.slug) + "/raum", lang),
        "help_phone": unbroken(contact_point.phone),
        "help_phone_href": tel_href(contact_point.phone),
        "languages_at_top": True,
        **footer_links(request),
    }


@routes.get("/ueben/{slug}/raum", name="practice_room")
async def practice_room(request: web.Request) -> web.Response:
    """Send a member into the practice room; with token auth, with a token that opens it without a leader."""
    settings = request.app[SETTINGS]
    contact_point = await practice_contact_point(request.app[DATABASE], request.match_info["slug"])
    room = practice_room_name(settings.secret, contact_point.slug)
    lang = jitsi_language(request_language(request, easy_read=True))
    raise web.HTTPSeeOther(room_url(settings, room, jwt=mint_opener_token(settings, room), lang=lang))
