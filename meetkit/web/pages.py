"""Member and leader pages: join the room, start it as moderator, renew the links."""

from __future__ import annotations

import datetime as dt
import math
import time
from dataclasses import dataclass

import aiohttp_jinja2
from aiohttp import web

from meetkit.config import Settings
from meetkit.domain.errors import InvalidInput
from meetkit.domain.failure_budget import SecretKind
from meetkit.domain.ids import format_member_code
from meetkit.domain.links import leader_url, member_url, practice_path
from meetkit.domain.scope import LEADER_LINK
from meetkit.jitsi.tokens import mint_moderator_token
from meetkit.jitsi.urls import room_url
from meetkit.rendering import environment, with_language
from meetkit.services import attendance, directory, member_pages
from meetkit.services.directory import GroupView
from meetkit.services.member_pages import MemberPage
from meetkit.web.errors import show_invalid_input_on
from meetkit.web.forms import read_form
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.leader_extras import leader_extras
from meetkit.web.lookups import check_budget, guarded, leader_view
from meetkit.web.member_view import (
    date_line,
    jitsi_language,
    tel_href,
    today_line,
    unbroken,
)
from meetkit.web.privacy import footer_links

routes = web.RouteTableDef()

PAGE_CACHE_SLOT_SECONDS = 15 * 60  # a meeting that has ended leaves the "next dates" within this


def group_pin_groups(pin: str | None) -> str | None:
    """Return a PIN grouped in threes for reading aloud: `123 456 78`."""
    if pin is None:
        return None
    return " ".join(pin[i : i + 3] for i in range(0, len(pin), 3))


def phone_context(settings: Settings, view: GroupView) -> dict[str, object]:
    """Return what pages show of the phone alternative (empty without dial-in)."""
    if not settings.dialin_enabled or view.group.pin is None:
        return {"dialin_numbers": (), "pin": None}
    return {"dialin_numbers": settings.dialin_numbers, "pin": group_pin_groups(view.group.pin)}


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """A member page's bytes and the Unix time at which what it says about today changes."""

    body: bytes
    fresh_until: float


def _render_member_page(settings: Settings, page: MemberPage, lang: str, now: dt.datetime) -> RenderedPage:
    """Render the member page as of `now`."""
    view, today = page.view, page.today(now)
    contact_point = view.contact_point
    template = environment().get_template("member.html")
    body = template.render(
        lang=lang,
        view=view,
        join_url=room_url(settings, view.group.room, lang=jitsi_language(lang)),
        member_url=member_url(settings.public_url, view.group.member_code),
        next_dates=[date_line(occurrence, lang) for occurrence in page.next_dates(now)],
        today=today_line(today),
        help_phone=unbroken(contact_point.phone) if contact_point else None,
        help_phone_href=tel_href(contact_point.phone) if contact_point else None,
        practice_url=with_language(practice_path(contact_point.slug), lang) if contact_point else None,
        languages_at_top=True,
        imprint_url=settings.imprint_url,
        **phone_context(settings, view),
    )
    return RenderedPage(body.encode(), today.changes_at.timestamp() if today else math.inf)


@routes.get("/j/{code}", name="member_page")
async def member_page(request: web.Request) -> web.Response:
    """The calm landing page a member reaches from the printed QR code or short link."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    code, lang = request.match_info["code"], request_language(request, easy_read=True)
    await check_budget(request, SecretKind.MEMBER_CODE)  # also before cached pages
    # The page changes when data changes (the cache then empties), as dates pass (15-minute key) and when
    # a meeting of today starts or ends, or the day ends (`fresh_until`).
    now = time.time()
    cache_key = ("member_page", code, lang, int(now // PAGE_CACHE_SLOT_SECONDS))
    rendered = db.cache_get(cache_key, RenderedPage)
    if rendered is None or now >= rendered.fresh_until:
        page = await guarded(request, lambda: member_pages.member_page(db, code))
        rendered = _render_member_page(settings, page, lang, dt.datetime.fromtimestamp(now, dt.UTC))
        db.cache_put(cache_key, rendered)
    return web.Response(
        body=rendered.body, content_type="text/html", charset="utf-8"
    )  # no-store: security.py


@routes.get("/l/{token}", name="leader_page")
@aiohttp_jinja2.template("leader.html")
async def leader_page(request: web.Request) -> dict[str, object]:
    """The leader's page: start the meeting, share the member link, renew links."""
    return await leader_context(request, await leader_view(request))


async def leader_context(request: web.Request, view: GroupView) -> dict[str, object]:
    """Everything the leader page shows."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    return {
        "lang": request_language(request, easy_read=True),
        "view": view,
        "token": request.match_info["token"],
        "member_url": member_url(settings.public_url, view.group.member_code),
        "member_code": format_member_code(view.group.member_code),
        "jwt_enabled": settings.jwt_enabled,
        "renewed": request.query.get("renewed") == "1",
        "counted": request.query.get("counted") == "1",
        **footer_links(request, page_path=f"/l/{request.match_info['token']}"),  # also after a form's POST
        **phone_context(settings, view),
        **await attendance.leader_context(db, view.group.id),
        **await leader_extras(request, view),
    }


def show_headcount_errors_on_leader_page(
    request: web.Request, view: GroupView, entered: dict[str, str]
) -> None:
    """Let wrong input of this request show the leader page again, with the message and `entered` by the form."""

    async def form_page(message: str, status: int) -> web.StreamResponse:
        context = await leader_context(request, view)
        context.update(attendance_error=message, attendance_entered=entered)
        return aiohttp_jinja2.render_template("leader.html", request, context, status=status)

    show_invalid_input_on(form_page)


@routes.route("*", "/l/{token}/start", name="leader_start")
async def leader_start(request: web.Request) -> web.Response:
    """Send the leader to the Jitsi room with a short-lived moderator token for exactly this room."""
    if request.method not in ("GET", "POST"):
        raise web.HTTPMethodNotAllowed(request.method, ["GET", "POST"])
    settings = request.app[SETTINGS]
    view = await leader_view(request)
    jwt = mint_moderator_token(settings, view.group.room)
    raise web.HTTPSeeOther(room_url(settings, view.group.room, jwt=jwt, lang=request_language(request)))


@routes.post("/l/{token}/renew", name="leader_renew")
async def leader_renew(request: web.Request) -> web.Response:
    """Renew member link, leader link and PIN at the leader's request; the old ones stop at once."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    view = await leader_view(request)
    form = await read_form(request)
    if form.get("confirm") != "yes":
        raise InvalidInput("Bitte bestätigen Sie, dass die alten Links ungültig werden sollen.")
    issued = await directory.rotate_group(db, settings, LEADER_LINK, str(view.group.id))
    lang = request_language(request, easy_read=True)
    raise web.HTTPSeeOther(f"{leader_url('', issued.leader_token)}?renewed=1&lang={lang}")
