"""Invitation sheets on the web: the leader's printable page and PDF, and a contact point's batch in the API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import cast

from aiohttp import web

from meetkit.domain.errors import InvalidInput
from meetkit.sheets import LAYOUTS, Lang, Layout, SheetData, SheetRenderer
from meetkit.sheets.html import BROWSER_STYLESHEETS, render_html
from meetkit.sheets.source import contact_point_sheets, sheet_data
from meetkit.web.apimodels import SheetsPath, SheetsQuery
from meetkit.web.apiroutes import ApiRoutes, api_scope
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS, SHEET_RENDERER
from meetkit.web.lookups import leader_view

routes = web.RouteTableDef()
api_routes = ApiRoutes(routes)

FILE_NAMES = {("a4", "de"): "einladung", ("a4", "en"): "invitation", ("cards", "de"): "kaertchen"}


def setup(app: web.Application) -> None:
    """Give the app a sheet renderer; its worker processes start with the first PDF and stop with the app."""
    app.cleanup_ctx.append(renderer_ctx)


async def renderer_ctx(app: web.Application) -> AsyncIterator[None]:
    """Own the process pool for the app's lifetime."""
    renderer = SheetRenderer()
    app[SHEET_RENDERER] = renderer
    yield
    await asyncio.get_running_loop().run_in_executor(None, renderer.close)


def layout_of(request: web.Request) -> Layout:
    """The sheet layout asked for (`?layout=a4` or `cards`; A4 without one)."""
    layout = request.query.get("layout", "a4")
    if layout not in LAYOUTS:
        raise InvalidInput("Das Layout muss a4 oder cards sein.")
    return layout


def pdf_response(body: bytes, layout: Layout, lang: Lang) -> web.Response:
    """A sheet PDF shown in the browser, with a file name for saving it."""
    name = FILE_NAMES.get((layout, lang), "cards")
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


async def _leader_sheet(request: web.Request, lang: Lang) -> SheetData:
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    view = await leader_view(request)
    return await sheet_data(db, settings, view, lang)


@routes.get("/l/{token}/sheet", name="leader_sheet")
async def leader_sheet(request: web.Request) -> web.Response:
    """The group's sheet as a printable page (the PDF's template, with the browser's print CSS)."""
    lang = cast(Lang, request_language(request))
    layout = layout_of(request)
    sheet = await _leader_sheet(request, lang)
    base = f"/l/{request.match_info['token']}/sheet.pdf"
    html = render_html(
        [sheet],
        layout,
        stylesheets=BROWSER_STYLESHEETS,
        pdf_url=f"{base}?lang={lang}&layout={layout}",
        cards_url=f"{base}?lang={lang}&layout=cards" if layout == "a4" else None,
    )
    return web.Response(text=html, content_type="text/html")


@routes.get("/l/{token}/sheet.pdf", name="leader_sheet_pdf")
async def leader_sheet_pdf(request: web.Request) -> web.Response:
    """The group's sheet as PDF, rendered in a worker process."""
    lang = cast(Lang, request_language(request))
    layout = layout_of(request)
    sheet = await _leader_sheet(request, lang)
    body = await request.app[SHEET_RENDERER].pdf([sheet], layout)
    return pdf_response(body, layout, lang)


@api_routes.get(
    "/contact-points/{slug}/sheets.pdf",
    name="api_contact_point_sheets",
    other_content={"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
)
async def contact_point_sheets_pdf(
    request: web.Request, path: SheetsPath, query: SheetsQuery
) -> web.Response:
    """Invitation sheets of all groups of a contact point in one PDF (one group per page)."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    sheets = await contact_point_sheets(db, settings, api_scope(request), path.slug, query.lang)
    if not sheets:
        raise InvalidInput("Diese Kontaktstelle hat noch keine Gruppen.")
    body = await request.app[SHEET_RENDERER].batch(sheets, None, query.layout)
    assert isinstance(body, bytes)
    return pdf_response(body, query.layout, query.lang)
