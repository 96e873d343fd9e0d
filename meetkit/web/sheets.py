"""Invitation sheets on the web: the leader's printable page and PDF, and a contact point's batch in the API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from aiohttp import web

from meetkit.domain.errors import InvalidInput
from meetkit.sheets import LANGS, LAYOUTS, Lang, Layout, SheetData, SheetRenderer
from meetkit.sheets.html import BROWSER_STYLESHEETS, render_html
from meetkit.sheets.source import contact_point_sheets, sheet_data
from meetkit.web.apimodels import SheetsPath, SheetsQuery
from meetkit.web.apiroutes import ApiRoutes, api_scope
from meetkit.web.keys import DATABASE, SETTINGS, SHEET_RENDERER
from meetkit.web.lookups import leader_view

routes = web.RouteTableDef()
api_routes = ApiRoutes(routes)

FILE_NAMES = {
    ("a4", "de"): "einladung",
    ("a4", "en"): "invitation",
    ("a4", "ls"): "einladung-leichte-sprache",
    ("cards", "de"): "kaertchen",
    ("cards", "ls"): "kaertchen-leichte-sprache",
}


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


def asked_sheet_language(request: web.Request) -> Lang | None:
    """The sheet language asked for with `?lang=` (de, en or ls); None: the group's own choice."""
    asked = request.query.get("lang")
    return next((lang for lang in LANGS if lang == asked), None)


def sheet_page(sheet: SheetData, layout: Layout, pdf_base: str) -> web.Response:
    """A sheet as a printable page with links to its PDF (and to the cards), in the sheet's language."""
    html = render_html(
        [sheet],
        layout,
        stylesheets=BROWSER_STYLESHEETS,
        pdf_url=f"{pdf_base}?lang={sheet.lang}&layout={layout}",
        cards_url=f"{pdf_base}?lang={sheet.lang}&layout=cards" if layout == "a4" else None,
    )
    return web.Response(text=html, content_type="text/html")


def pdf_response(body: bytes, layout: Layout, lang: Lang) -> web.Response:
    """A sheet PDF shown in the browser, with a file name for saving it."""
    name = FILE_NAMES.get((layout, lang), "cards")
    return web.Response(
        body=body,
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )


async def _leader_sheet(request: web.Request) -> SheetData:
    """The leader's group's sheet in the language asked for, else in the one staff chose for the group."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    view = await leader_view(request)
    return await sheet_data(db, settings, view, asked_sheet_language(request))


@routes.get("/l/{token}/sheet", name="leader_sheet")
async def leader_sheet(request: web.Request) -> web.Response:
    """The group's sheet as a printable page (the PDF's template, with the browser's print CSS)."""
    layout = layout_of(request)
    sheet = await _leader_sheet(request)
    return sheet_page(sheet, layout, f"/l/{request.match_info['token']}/sheet.pdf")


@routes.get("/l/{token}/sheet.pdf", name="leader_sheet_pdf")
async def leader_sheet_pdf(request: web.Request) -> web.Response:
    """The group's sheet as PDF, rendered in a worker process."""
    layout = layout_of(request)
    sheet = await _leader_sheet(request)
    body = await request.app[SHEET_RENDERER].pdf([sheet], layout)
    return pdf_response(body, layout, sheet.lang)


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
    return pdf_response(body, query.layout, query.lang or sheets[0].lang)
