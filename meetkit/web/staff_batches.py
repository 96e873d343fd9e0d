"""Staff pages: many sheets as one PDF, rendered in the background with a progress bar and a download."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import cast

from aiohttp import web

from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput
from meetkit.domain.numbers import parse_id
from meetkit.rendering import gettext_for
from meetkit.services import accounts, directory
from meetkit.services.sheet_batches import Batch, SheetBatches, batch_pdf, batch_status
from meetkit.sheets import LANGS, LAYOUTS, Lang, Layout
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS, SHEET_BATCHES, SHEET_RENDERER
from meetkit.web.security import default_csp
from meetkit.web.staff_session import form_text, render, scope, with_lang

routes = web.RouteTableDef()

CHOOSE_CONTACT_POINT = N_("Bitte wählen Sie die Kontaktstelle, deren Blätter Sie drucken möchten.")
REFRESH_SECONDS = 3  # the page without JavaScript reloads itself this often while the batch renders
STATE_TEXT = {
    "running": N_("Die Blätter werden erstellt: %(done)s von %(total)s."),
    "done": N_("Fertig: %(total)s Blätter in einem PDF."),
    "failed": N_("Das hat leider nicht geklappt. Bitte starten Sie den Druckauftrag noch einmal."),
}


def setup(app: web.Application) -> None:
    """Keep the batches of this process (needs the database and the sheet renderer)."""
    app.cleanup_ctx.append(batches_ctx)


async def batches_ctx(app: web.Application) -> AsyncIterator[None]:
    """Start batches as background tasks; stop those still running when the app stops."""
    app[SHEET_BATCHES] = SheetBatches(app[DATABASE], app[SETTINGS], app[SHEET_RENDERER])
    yield
    await app[SHEET_BATCHES].close()


def _state_text(request: web.Request, batch: Batch) -> str:
    text: str = gettext_for(request_language(request))(STATE_TEXT[batch.state])
    return text % {"done": batch.done, "total": batch.total}


async def _form_page(request: web.Request, chosen: str, error: InvalidInput | None = None) -> web.Response:
    db, who = request.app[DATABASE], scope(request)
    contact_points = await accounts.visible_contact_points(db, who)
    if not chosen and len(contact_points) == 1:
        chosen = contact_points[0].slug
    groups = await directory.list_groups(db, who, chosen) if chosen else []
    return render(
        request, "sheets.html", error=error, contact_points=contact_points, chosen=chosen, groups=groups
    )


@routes.get("/staff/sheets", name="staff_sheets_form")
async def sheets_form(request: web.Request) -> web.StreamResponse:
    """Choose a contact point, language and layout, and all groups or some, for one PDF."""
    return await _form_page(request, request.query.get("contact_point", ""))


@routes.post("/staff/sheets", name="staff_sheets_start")
async def sheets_start(request: web.Request) -> web.StreamResponse:
    """Start the batch; the browser goes to its progress page (leaving it does not stop the batch)."""
    form = await request.post()
    lang = form_text(form, "lang") if form_text(form, "lang") in LANGS else None  # None: each group's own
    layout = form_text(form, "layout") if form_text(form, "layout") in LAYOUTS else "a4"
    ids = [parse_id(v, "Gruppe") for v in form.getall("group", []) if isinstance(v, str)]
    slug = form_text(form, "contact_point")
    if not slug:
        return await _form_page(request, "", InvalidInput(CHOOSE_CONTACT_POINT))
    try:
        batch_id = await request.app[SHEET_BATCHES].start(
            scope(request), slug, ids, cast(Lang | None, lang), cast(Layout, layout)
        )
    except InvalidInput as error:
        return await _form_page(request, slug, error)
    raise web.HTTPSeeOther(with_lang(request, f"/staff/sheets/{batch_id}"))


@routes.get(r"/staff/sheets/{id:\d+}", name="staff_sheets_batch")
async def batch_page(request: web.Request) -> web.StreamResponse:
    """The batch's progress bar (polled by a small script, or the page refreshes itself) and its download."""
    batch_id = parse_id(request.match_info["id"], "Druckauftrag")
    batch = await batch_status(request.app[DATABASE], scope(request), batch_id)
    response = render(
        request,
        "sheets_batch.html",
        batch=batch,
        state_text=_state_text(request, batch),
        refresh_seconds=REFRESH_SECONDS,
    )
    csp = default_csp(request.app[SETTINGS].jitsi_url)
    response.headers["Content-Security-Policy"] = f"{csp}; script-src 'self'; connect-src 'self'"
    return response


@routes.get(r"/staff/sheets/{id:\d+}.json", name="staff_sheets_progress")
async def batch_progress(request: web.Request) -> web.StreamResponse:
    """The batch's progress for the page's script."""
    batch_id = parse_id(request.match_info["id"], "Druckauftrag")
    batch = await batch_status(request.app[DATABASE], scope(request), batch_id)
    return web.json_response(
        {
            "state": batch.state,
            "done": batch.done,
            "total": batch.total,
            "percent": batch.percent,
            "message": _state_text(request, batch),
        },
        headers={"Cache-Control": "no-store"},
    )


@routes.get(r"/staff/sheets/{id:\d+}.pdf", name="staff_sheets_pdf")
async def batch_download(request: web.Request) -> web.StreamResponse:
    """The finished PDF."""
    batch_id = parse_id(request.match_info["id"], "Druckauftrag")
    body = await batch_pdf(request.app[DATABASE], scope(request), batch_id)
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="einladungen-{batch_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )
