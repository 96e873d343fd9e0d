"""Staff pages: a contact point's list of groups (CSV or .xlsx) becomes groups: upload, preview, confirm."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput
from meetkit.domain.models import ContactPoint
from meetkit.services import accounts, directory, group_import
from meetkit.web.bodies import MAX_REQUEST_BYTES
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.staff_session import form_text, render, scope

routes = web.RouteTableDef()

NO_FILE = N_("Bitte wählen Sie eine Datei aus (CSV oder Excel .xlsx).")
CHOOSE_CONTACT_POINT = N_("Bitte wählen Sie die Kontaktstelle, zu der die Gruppen gehören.")


async def _form_page(
    request: web.Request, chosen: str | None, field_error: str | None = None, status: int = 200
) -> web.Response:
    contact_points = await accounts.visible_contact_points(request.app[DATABASE], scope(request))
    if chosen is None and len(contact_points) == 1:
        chosen = contact_points[0].slug
    return render(
        request,
        "import.html",
        status=status,
        contact_points=contact_points,
        chosen=chosen,
        field_error=field_error,
        max_kb=MAX_REQUEST_BYTES // 1024,
    )


async def _contact_point(request: web.Request, form: Any) -> ContactPoint | None:
    """The chosen contact point (NotFound outside the scope, like one that does not exist), or None."""
    slug = form_text(form, "contact_point").strip()
    if not slug:
        return None
    return await directory.get_contact_point(request.app[DATABASE], scope(request), slug)


@routes.get("/staff/import", name="staff_import_form")
async def import_form(request: web.Request) -> web.StreamResponse:
    """The upload form: which contact point, which file, and what the file must look like."""
    return await _form_page(request, request.query.get("contact_point"))


@routes.post("/staff/import/preview", name="staff_import_preview")
async def import_preview(request: web.Request) -> web.StreamResponse:
    """Read the uploaded list and show which rows become groups and why the others do not; nothing is saved."""
    form = await request.post()
    contact_point = await _contact_point(request, form)
    upload = form.get("file")
    data = upload.file.read() if isinstance(upload, web.FileField) else b""
    if contact_point is None:
        return await _form_page(request, None, CHOOSE_CONTACT_POINT, 400)
    if not data:
        return await _form_page(request, contact_point.slug, NO_FILE, 400)
    try:
        listed = await group_import.read_list(data)
    except InvalidInput as error:
        return await _form_page(request, contact_point.slug, error.message, 400)
    _, plan = await group_import.preview_import(
        request.app[DATABASE], scope(request), contact_point.slug, listed
    )
    file_name = upload.filename if isinstance(upload, web.FileField) else ""
    return render(request, "import_preview.html", contact_point=contact_point, plan=plan, file_name=file_name)


@routes.post("/staff/import", name="staff_import")
async def import_confirm(request: web.Request) -> web.StreamResponse:
    """Make the previewed groups in one transaction (checked again: all or nothing) and list them."""
    form = await request.post()
    contact_point = await _contact_point(request, form)
    if contact_point is None:
        return await _form_page(request, None, CHOOSE_CONTACT_POINT, 400)
    rows = [value for value in form.getall("row", []) if isinstance(value, str)]
    try:
        listed = group_import.rows_from_form(rows)
    except InvalidInput as error:
        return await _form_page(request, contact_point.slug, error.message, 400)
    result = await group_import.import_groups(
        request.app[DATABASE], request.app[SETTINGS], scope(request), contact_point.slug, listed
    )
    return render(request, "import_done.html", contact_point=contact_point, result=result)
