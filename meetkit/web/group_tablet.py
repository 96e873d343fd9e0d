"""The group's tablet: paired from a loan like a kiosk, it shows only its group and one big join button.

Staff open a one-time link `/tablet/pair/{pairing_token}` on the lent tablet; tapping the button (a POST, so
link previews cannot use it up) stores a token and sends the tablet to `/tablet/{device_token}`, which an
HttpOnly cookie for /tablet finds again from plain `/tablet`. Below the big button a smaller one leads to the
contact point's practice page (same origin, a plain link). The page and its buttons work only while the loan
runs: before its first day, and once it ends or is returned, the tablet says so and joins nothing.
"""

from __future__ import annotations

import aiohttp_jinja2
from aiohttp import web

from meetkit.config import Settings
from meetkit.domain.attendance_times import local_today
from meetkit.domain.errors import LoanNotRunning
from meetkit.domain.links import practice_path
from meetkit.rendering import with_language
from meetkit.services import group_tablet, loans
from meetkit.services.directory import GroupView
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import guarded
from meetkit.web.member_view import jitsi_language
from meetkit.web.privacy import footer_links
from meetkit.web.security import default_csp

routes = web.RouteTableDef()
COOKIE = "meetkit_group_tablet"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
RELOAD_SECONDS = 300  # the page reloads itself this often (static/group-tablet.js), so an ended loan shows


def _cookie(response: web.StreamResponse, settings: Settings, device_token: str | None) -> None:
    if device_token is None:
        response.del_cookie(COOKIE, path="/tablet")
        return
    response.set_cookie(
        COOKIE,
        device_token,
        max_age=COOKIE_MAX_AGE,
        path="/tablet",
        httponly=True,
        samesite="Strict",
        secure=settings.public_url.startswith("https://"),
    )


def _language(request: web.Request) -> str:
    return request_language(request, easy_read=True)


def _here(request: web.Request, path: str) -> str:
    """`path` in the page's language, so that forms and links keep `?lang=`."""
    return with_language(path, _language(request))


def _page(request: web.Request, status: int = 200, **context: object) -> web.Response:
    response = aiohttp_jinja2.render_template(
        "group_tablet.html",
        request,
        {
            "lang": _language(request),
            "reload_seconds": RELOAD_SECONDS,
            **footer_links(request),
            **context,
        },
        status=status,
    )
    # the page's one script (the reload) is our own file: the usual policy plus script-src 'self'
    response.headers["Content-Security-Policy"] = (
        default_csp(request.app[SETTINGS].jitsi_url) + "; script-src 'self'"
    )
    return response


@routes.get("/tablet", name="group_tablet_entry")
async def entry(request: web.Request) -> web.StreamResponse:
    """Plain /tablet: back to the group's page through the cookie, or explain how to pair."""
    token = request.cookies.get(COOKIE)
    if token:
        raise web.HTTPSeeOther(_here(request, f"/tablet/{token}"))
    return _page(request, kind="unpaired")


@routes.get("/tablet/pair/{pairing_token}", name="group_tablet_pair_page")
async def pair_page(request: web.Request) -> web.StreamResponse:
    """Show the pairing button (GET never uses the link up)."""
    token = request.match_info["pairing_token"]
    view = await guarded(request, lambda: group_tablet.pairing_loan(request.app[DATABASE], token))
    return _page(request, kind="pair", title=_title(view), action=_here(request, f"/tablet/pair/{token}"))


@routes.post("/tablet/pair/{pairing_token}", name="group_tablet_pair")
async def pair(request: web.Request) -> web.StreamResponse:
    """Use up the pairing link: keep the token in a cookie and go to the group's page."""
    token = request.match_info["pairing_token"]
    _, device_token = await guarded(request, lambda: group_tablet.pair(request.app[DATABASE], token))
    response = web.HTTPSeeOther(_here(request, f"/tablet/{device_token}"))
    _cookie(response, request.app[SETTINGS], device_token)
    raise response


def _title(view: loans.LoanView) -> str | None:
    return GroupView(view.group, view.contact_point).display_name


def _stopped(request: web.Request, view: loans.LoanView, error: LoanNotRunning) -> web.Response:
    """Why the tablet joins nothing (not begun yet, or ended or returned), and whom to call: 403.

    Also the answer to a join: its language switch leads to the tablet's page, not back to the join.
    """
    return _page(
        request,
        403,
        kind="stopped",
        begun=error.begun,
        message=error.message,
        contact_point=view.contact_point,
        switch_path=f"/tablet/{request.match_info['device_token']}",
    )


@routes.get("/tablet/{device_token}", name="group_tablet")
async def tablet_page(request: web.Request) -> web.StreamResponse:
    """Only this group, in large type, with one big button into its room and one to the practice page."""
    token = request.match_info["device_token"]
    view = await guarded(request, lambda: group_tablet.tablet_loan(request.app[DATABASE], token))
    try:
        group_tablet.check_running(view, local_today())
    except LoanNotRunning as error:
        return _stopped(request, view, error)
    return _page(
        request,
        kind="group",
        title=_title(view),
        contact_point=view.contact_point,
        ends_on=view.loan.ends_on,
        action=_here(request, f"/tablet/{token}/join"),
        practice_url=_here(request, practice_path(view.contact_point.slug)),
    )


@routes.post("/tablet/{device_token}/join", name="group_tablet_join")
async def join(request: web.Request) -> web.StreamResponse:
    """Into the group's room (moderator token for it alone), only while the loan runs; else the page says why."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    token = request.match_info["device_token"]
    view = await guarded(request, lambda: group_tablet.tablet_loan(db, token))  # unknown: counts as a failure
    try:
        url = await group_tablet.join_url(db, settings, token, jitsi_language(_language(request)))
    except LoanNotRunning as error:
        return _stopped(request, view, error)
    raise web.HTTPSeeOther(url)
