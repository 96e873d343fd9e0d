"""Staff pages for leader invitations: make one (link, QR, letter, e-mail), list open ones, withdraw one."""

from __future__ import annotations

from aiohttp import web
from markupsafe import Markup

from meetkit.domain.errors import InvalidInput, MeetkitError
from meetkit.domain.invitations import INVITATION_DAYS, MAX_INVITATION_DAYS, valid_days
from meetkit.domain.numbers import parse_id
from meetkit.qr import qr_svg
from meetkit.services import accounts, invitations
from meetkit.services.invitations import IssuedInvitation
from meetkit.web.forms import read_form
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS, SHEET_RENDERER
from meetkit.web.staff_session import render, scope, with_lang

routes = web.RouteTableDef()


async def _page(
    request: web.Request, error: MeetkitError | None = None, issued: IssuedInvitation | None = None
) -> web.Response:
    db, settings, who = request.app[DATABASE], request.app[SETTINGS], scope(request)
    url = invitations.invite_url(settings, issued.token) if issued else None
    return render(
        request,
        "invitations.html",
        error=error,
        lines=await invitations.list_invitations(db, who),
        contact_points=await accounts.visible_contact_points(db, who),
        issued=issued,
        issued_url=url,
        issued_qr=Markup(qr_svg(url)) if url else None,  # noqa: S704 - our own SVG
        mail_enabled=bool(settings.smtp_url),
        default_days=INVITATION_DAYS,
        max_days=MAX_INVITATION_DAYS,
        withdrawn=request.query.get("withdrawn") == "1",
    )


@routes.get("/staff/invitations", name="staff_invitations")
async def invitations_page(request: web.Request) -> web.StreamResponse:
    """Open and recent invitations of one's contact points, and the form for a new one."""
    return await _page(request)


@routes.post("/staff/invitations", name="staff_invitation_add")
async def add_invitation(request: web.Request) -> web.StreamResponse:
    """Make an invitation: its link and QR code are shown here once (or it goes out by e-mail)."""
    form = await read_form(request)
    try:
        issued = await invitations.create_invitation(
            request.app[DATABASE],
            request.app[SETTINGS],
            scope(request),
            form.get("contact_point", ""),
            valid_days=valid_days(form.get("valid_days") or str(INVITATION_DAYS)),
            email=form.get("email", "").strip() or None,
        )
    except InvalidInput as error:  # a foreign or unknown contact point is a 404, as everywhere
        return await _page(request, error=error)
    return await _page(request, issued=issued)


@routes.post("/staff/invitations/{id}/withdraw", name="staff_invitation_withdraw")
async def withdraw_invitation(request: web.Request) -> web.StreamResponse:
    """Withdraw an open invitation: its link stops at once."""
    invitation_id = parse_id(request.match_info["id"], "Einladung")
    await invitations.withdraw_invitation(request.app[DATABASE], scope(request), invitation_id)
    raise web.HTTPSeeOther(with_lang(request, "/staff/invitations", withdrawn="1"))


@routes.post("/staff/invitations/letter", name="staff_invitation_letter")
async def invitation_letter(request: web.Request) -> web.StreamResponse:
    """The letter of a just-made invitation as PDF (its token comes with the form: it is stored only hashed)."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    form = await read_form(request)
    token = form.get("invite_token", "")
    invitation, contact_point = await invitations.invitation_for_letter(db, scope(request), token)
    data = invitations.letter_data(settings, invitation, contact_point, token, request_language(request))
    body = await request.app[SHEET_RENDERER].invitation_letter(data)
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={"Content-Disposition": 'inline; filename="einladung-gruppenleitung.pdf"'},
    )
