"""Staff pages: the group list (search, pages, contact point filter) and making a group."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput, MeetkitError
from meetkit.domain.names import clean_name
from meetkit.domain.numbers import is_ascii_number
from meetkit.services import accounts, directory, group_changes, group_list, group_page
from meetkit.web.i18n import request_language
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.pages import group_pin_groups
from meetkit.web.staff_group_page import group_id_of, group_page_response, show_issued_link
from meetkit.web.staff_session import form_text, render, scope, with_lang

routes = web.RouteTableDef()
PAGE_INVALID = N_("Diese Seite der Liste gibt es nicht. Hier ist die erste Seite.")
DELETE_UNCONFIRMED = N_("Bitte bestätigen Sie, dass die Gruppe mit ihren Links gelöscht werden soll.")


async def name_keys_ctx(app: web.Application) -> AsyncIterator[None]:
    """Give groups from before the search key existed their key (needs the database)."""
    await group_list.fill_name_keys(app[DATABASE])
    yield


def list_url(request: web.Request, **changes: Any) -> str:
    """The list with the current search, filter and language, and `changes` (None drops a parameter)."""
    params = {k: request.query[k] for k in ("q", "contact_point", "archived", "lang") if request.query.get(k)}
    params.update({k: str(v) for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        params.pop(key, None)
    return "/staff/groups" + ("?" + urlencode(params) if params else "")


async def _list_page(
    request: web.Request,
    error: MeetkitError | None = None,
    entered: dict[str, str] | None = None,
    field: str | None = None,
) -> web.Response:
    db, who, query = request.app[DATABASE], scope(request), request.query
    page_text = query.get("page", "1").strip() or "1"
    page = int(page_text) if is_ascii_number(page_text) and len(page_text) <= 6 else 0
    if page < 1 and error is None:
        error = InvalidInput(PAGE_INVALID)
    found = await group_list.list_page(
        db,
        who,
        search=query.get("q", ""),
        page=page,
        contact_point_slug=query.get("contact_point") or None,
        archived=query.get("archived") == "1",
    )
    contact_points = await accounts.visible_contact_points(db, who)
    return render(
        request,
        "groups.html",
        error=error,
        listing=found,
        contact_points=contact_points,
        dialin=request.app[SETTINGS].dialin_enabled,
        entered=entered or {},
        field=field,
        page_url=lambda n: list_url(request, page=n),
        archived_url=list_url(request, archived="1" if not found.archived else None, page=None),
        lang_code=request_language(request),
        deleted=request.query.get("deleted") == "1",
        pin_groups=group_pin_groups,
    )


@routes.get("/staff/groups", name="staff_groups")
async def groups_page(request: web.Request) -> web.StreamResponse:
    """The groups in scope, a page at a time: search, contact point filter, archived ones, a form for a new one."""
    return await _list_page(request)


@routes.post("/staff/groups", name="staff_group_add")
async def add_group(request: web.Request) -> web.StreamResponse:
    """Make a group; its page shows the new leader link this once."""
    form = await request.post()
    entered = {"name": form_text(form, "name"), "contact_point": form_text(form, "contact_point")}
    try:
        clean_name(entered["name"], "Der Gruppenname")
    except InvalidInput as error:
        return await _list_page(request, error=error, entered=entered, field="name")
    try:
        issued = await directory.add_group(
            request.app[DATABASE],
            request.app[SETTINGS],
            scope(request),
            entered["name"],
            entered["contact_point"] or None,
        )
    except MeetkitError as error:  # the name is fine: what is left is about the contact point
        return await _list_page(request, error=error, entered=entered, field="contact_point")
    return await show_issued_link(request, issued.group.id, issued.leader_token, "created")


@routes.post("/staff/groups/{id}/rename", name="staff_group_rename")
async def rename_group(request: web.Request) -> web.StreamResponse:
    """Give the group a new name; a mistake is shown next to the name field, with what was typed."""
    group_id = group_id_of(request)
    form = await request.post()
    typed = form_text(form, "name")
    try:
        await group_changes.rename_group(request.app[DATABASE], scope(request), group_id, typed)
    except InvalidInput as error:
        return await group_page_response(request, group_id, error=error, field="rename", typed_name=typed)
    raise web.HTTPSeeOther(with_lang(request, f"/staff/groups/{group_id}", saved="renamed"))


@routes.post("/staff/groups/{id}/archive", name="staff_group_archive")
async def archive_group(request: web.Request) -> web.StreamResponse:
    """Archive the group: its links and PIN stop at once; it can be brought back with new links."""
    group_id = group_id_of(request)
    try:
        await group_changes.archive_group(
            request.app[DATABASE], request.app[SETTINGS], scope(request), group_id
        )
    except InvalidInput as error:
        return await group_page_response(request, group_id, error=error)
    raise web.HTTPSeeOther(with_lang(request, f"/staff/groups/{group_id}", saved="archived"))


@routes.post("/staff/groups/{id}/reactivate", name="staff_group_reactivate")
async def reactivate_group(request: web.Request) -> web.StreamResponse:
    """Bring an archived group back: new room, member link, leader link (shown once) and PIN."""
    group_id = group_id_of(request)
    try:
        issued = await group_changes.reactivate_group(
            request.app[DATABASE], request.app[SETTINGS], scope(request), group_id
        )
    except InvalidInput as error:
        return await group_page_response(request, group_id, error=error)
    return await show_issued_link(request, group_id, issued.leader_token, "reactivated")


@routes.get("/staff/groups/{id}/delete", name="staff_group_delete_form")
async def delete_form(request: web.Request) -> web.StreamResponse:
    """Ask before deleting: what is lost, and what stays."""
    details = await group_page.group_details(request.app[DATABASE], scope(request), group_id_of(request))
    return render(request, "group_delete.html", group=details.view.group)


@routes.post("/staff/groups/{id}/delete", name="staff_group_delete")
async def delete_group(request: web.Request) -> web.StreamResponse:
    """Delete the group after the confirmation; back to the list, which says so."""
    group_id = group_id_of(request)
    db, who = request.app[DATABASE], scope(request)
    form = await request.post()
    group = await directory.find_group(db, who, group_id)
    if form_text(form, "confirm") != "yes":
        error = InvalidInput(DELETE_UNCONFIRMED)
        return render(request, "group_delete.html", error=error, field="confirm", group=group)
    await group_changes.delete_group(db, request.app[SETTINGS], who, group_id)
    raise web.HTTPSeeOther(with_lang(request, "/staff/groups", deleted="1"))
