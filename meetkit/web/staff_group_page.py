"""One group's staff page: member link, leader link hand-over and letter, renewing links, sheets, meetings."""

from __future__ import annotations

from typing import Any, cast

from aiohttp import web
from markupsafe import Markup

from meetkit.domain.errors import InvalidInput, MeetkitError
from meetkit.domain.ids import format_member_code
from meetkit.domain.links import leader_url, member_url
from meetkit.domain.numbers import parse_id
from meetkit.qr import qr_svg
from meetkit.schedule_words import schedule_in_words
from meetkit.services import directory, group_changes, group_page, sheet_language
from meetkit.sheets import Lang, Layout, SheetData
from meetkit.sheets.source import sheet_data
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS, SHEET_RENDERER
from meetkit.web.pages import group_pin_groups
from meetkit.web.schedule_form import entered_from
from meetkit.web.security import default_csp, with_own_scripts
from meetkit.web.sheets import asked_sheet_language, layout_of, pdf_response, sheet_page
from meetkit.web.staff_session import form_text, render, scope, with_lang

routes = web.RouteTableDef()

LETTER_LANGS = ("de", "en")  # the leader letter's languages
# Why a new leader link was just shown (the page says so above the link).
ISSUED_REASONS = ("created", "handed_over", "renewed", "reactivated")


def group_id_of(request: web.Request) -> int:
    """The group number in the path (a malformed one is simply not found)."""
    return parse_id(request.match_info["id"], "Gruppe")


async def group_page_response(
    request: web.Request,
    group_id: int,
    *,
    error: MeetkitError | None = None,
    field: str | None = None,
    issued: dict[str, Any] | None = None,
    schedule_entered: dict[str, str] | None = None,
    **extra: Any,
) -> web.Response:
    """Render the group's page (with a message next to `field`, a just issued link, or what was typed)."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    details = await group_page.group_details(db, scope(request), group_id)
    group = details.view.group
    link = member_url(settings.public_url, group.member_code)
    schedule = details.schedule.schedule
    response = render(
        request,
        "group.html",
        error=error,
        field=field,
        details=details,
        group=group,
        member_link=link,
        member_code=format_member_code(group.member_code),
        pin=group_pin_groups(group.pin) if settings.dialin_enabled and not group.archived_at else None,
        issued=issued,
        schedule=schedule,
        schedule_text=schedule_in_words(schedule, request_language(request)) if schedule else None,
        upcoming=extra.pop("upcoming", details.schedule.upcoming),
        entered=schedule_entered if schedule_entered is not None else entered_from(schedule),
        sheet_lang=await sheet_language.sheet_language_of(db, scope(request), group.id),
        **extra,
    )
    response.headers["Content-Security-Policy"] = with_own_scripts(default_csp(settings.jitsi_url))
    return response


async def show_issued_link(
    request: web.Request, group_id: int, leader_token: str, reason: str
) -> web.Response:
    """The group's page with a leader link that is shown this once: as text, QR code and letter button."""
    url = leader_url(request.app[SETTINGS].public_url, leader_token)
    issued = {"reason": reason, "url": url, "token": leader_token, "qr": Markup(qr_svg(url))}  # noqa: S704
    return await group_page_response(request, group_id, issued=issued)


@routes.get("/staff/groups/{id}", name="staff_group")
async def group_page_view(request: web.Request) -> web.StreamResponse:
    """The group's page."""
    return await group_page_response(request, group_id_of(request), saved=request.query.get("saved"))


@routes.post("/staff/groups/{id}/leader-link", name="staff_group_leader_link")
async def hand_over(request: web.Request) -> web.StreamResponse:
    """A new leader link (shown once); the old one stops, member link and PIN stay."""
    group_id = group_id_of(request)
    try:
        issued = await group_changes.hand_over_leader_link(request.app[DATABASE], scope(request), group_id)
    except InvalidInput as error:
        return await group_page_response(request, group_id, error=error)
    return await show_issued_link(request, group_id, issued.leader_token, "handed_over")


@routes.post("/staff/groups/{id}/renew", name="staff_group_renew")
async def renew(request: web.Request) -> web.StreamResponse:
    """New room, member link, leader link and PIN after confirming the consequences; the old ones stop."""
    group_id = group_id_of(request)
    form = await request.post()
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    await directory.find_group(db, scope(request), group_id)  # outside the scope: 404 before anything else
    if form_text(form, "confirm") != "yes":
        error = InvalidInput("Bitte bestätigen Sie, dass die alten Links ungültig werden sollen.")
        return await group_page_response(request, group_id, error=error, field="renew")
    try:
        issued = await directory.rotate_group(db, settings, scope(request), group_id)
    except InvalidInput as error:
        return await group_page_response(request, group_id, error=error, field="renew")
    return await show_issued_link(request, group_id, issued.leader_token, "renewed")


@routes.post("/staff/groups/{id}/leader-letter", name="staff_group_leader_letter")
async def leader_letter(request: web.Request) -> web.StreamResponse:
    """The "Ihr Leitungs-Link" letter for the link just shown, as PDF (the token comes back in the form)."""
    group_id = group_id_of(request)
    form = await request.post()
    lang = cast(
        Lang, form_text(form, "letter_lang") if form_text(form, "letter_lang") in LETTER_LANGS else "de"
    )
    letter = await group_page.leader_letter(
        request.app[DATABASE], request.app[SETTINGS], scope(request), group_id, form_text(form, "token"), lang
    )
    body = await request.app[SHEET_RENDERER].leader_letter(letter)
    name = "leitungs-link" if lang == "de" else "leader-link"
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


async def _group_sheet(request: web.Request) -> tuple[SheetData, Layout]:
    """The group's sheet in the language asked for (`?lang=`), else in the group's chosen sheet language."""
    db, settings, who = request.app[DATABASE], request.app[SETTINGS], scope(request)
    group = await directory.find_group(db, who, group_id_of(request))
    directory.require_active(group)
    layout = layout_of(request)
    view = await directory.group_view(db, group.id)
    return await sheet_data(db, settings, view, asked_sheet_language(request)), layout


@routes.get("/staff/groups/{id}/sheet", name="staff_group_sheet")
async def sheet_view_page(request: web.Request) -> web.StreamResponse:
    """The group's sheet as a printable page (the PDF's template with the browser's print stylesheet)."""
    sheet, layout = await _group_sheet(request)
    return sheet_page(sheet, layout, f"/staff/groups/{group_id_of(request)}/sheet.pdf")


@routes.get("/staff/groups/{id}/sheet.pdf", name="staff_group_sheet_pdf")
async def sheet_pdf(request: web.Request) -> web.StreamResponse:
    """The group's sheet as PDF (A4 or four cards; German, English or Leichte Sprache)."""
    sheet, layout = await _group_sheet(request)
    return pdf_response(await request.app[SHEET_RENDERER].pdf([sheet], layout), layout, sheet.lang)


@routes.post("/staff/groups/{id}/sheet-language", name="staff_group_sheet_language")
async def choose_sheet_language(request: web.Request) -> web.StreamResponse:
    """Choose the language the group's printed sheet uses unless someone asks for another."""
    group_id = group_id_of(request)
    form = await request.post()
    db = request.app[DATABASE]
    await directory.find_group(db, scope(request), group_id)  # outside the scope: 404 before anything else
    try:
        await sheet_language.set_sheet_language(db, scope(request), group_id, form_text(form, "sheet_lang"))
    except InvalidInput as error:
        return await group_page_response(request, group_id, error=error, field="sheet_lang")
    raise web.HTTPSeeOther(with_lang(request, f"/staff/groups/{group_id}", saved="sheet_lang"))
