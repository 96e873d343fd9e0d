"""Staff pages for the inventory: every device of one's contact points, one device's details and calendar."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain.accounts import N_
from meetkit.domain.attendance_times import local_today
from meetkit.domain.devices import KINDS
from meetkit.domain.errors import InvalidInput
from meetkit.domain.numbers import parse_id
from meetkit.services import accounts, inventory, loans
from meetkit.web.forms import read_form
from meetkit.web.keys import DATABASE
from meetkit.web.staff_session import render, scope, with_lang

routes = web.RouteTableDef()

DEVICE_ID = "{id:[0-9]+}"
FIELDS = ("label", "kind", "serial_number", "notes")
NOTICES = {"added": N_("Das Gerät ist im Inventar."), "saved": N_("Gespeichert.")}


async def _inventory_page(
    request: web.Request, error: InvalidInput | None = None, entered: dict[str, str] | None = None
) -> web.Response:
    db, who = request.app[DATABASE], scope(request)
    return render(
        request,
        "inventory.html",
        error=error,
        notice=NOTICES.get(request.query.get("done", "")),
        items=await inventory.inventory(db, who),
        contact_points=await accounts.visible_contact_points(db, who),
        kinds=KINDS,
        entered=entered or {"kind": "tablet"},
    )


@routes.get("/staff/inventory", name="staff_inventory")
async def inventory_page(request: web.Request) -> web.StreamResponse:
    """Every device of one's contact points with where it is today, and a form for a new one."""
    return await _inventory_page(request)


@routes.post("/staff/inventory", name="staff_inventory_add")
async def add_item(request: web.Request) -> web.StreamResponse:
    """Add a device to a contact point's inventory."""
    form = await read_form(request)
    entered = {k: form.get(k, "") for k in (*FIELDS, "contact_point")}
    try:
        device = await inventory.add_item(
            request.app[DATABASE],
            scope(request),
            entered["contact_point"],
            entered["label"],
            entered["kind"],
            entered["serial_number"],
            entered["notes"],
        )
    except InvalidInput as error:
        return await _inventory_page(request, error, entered)
    raise web.HTTPSeeOther(with_lang(request, f"/staff/devices/{device.id}", done="added"))


async def _device_page(request: web.Request, error: InvalidInput | None = None) -> web.Response:
    db = request.app[DATABASE]
    month = await loans.device_month(db, scope(request), _device_id(request), request.query.get("month"))
    return render(
        request,
        "device.html",
        error=error,
        notice=NOTICES.get(request.query.get("done", "")),
        month=month,
        device=month.device,
        kinds=KINDS,
        today=local_today(),
    )


def _device_id(request: web.Request) -> int:
    return parse_id(request.match_info["id"], "Gerät")


@routes.get(f"/staff/devices/{DEVICE_ID}", name="staff_device")
async def device_page(request: web.Request) -> web.StreamResponse:
    """One device: its month calendar of loans (?month=YYYY-MM), and its details to change."""
    return await _device_page(request)


@routes.post(f"/staff/devices/{DEVICE_ID}", name="staff_device_change")
async def change_item(request: web.Request) -> web.StreamResponse:
    """Change a device's label, kind, serial number and notes."""
    form = await read_form(request)
    try:
        await inventory.change_item(
            request.app[DATABASE], scope(request), _device_id(request), *(form.get(k, "") for k in FIELDS)
        )
    except InvalidInput as error:
        return await _device_page(request, error)
    raise web.HTTPSeeOther(with_lang(request, f"/staff/devices/{_device_id(request)}", done="saved"))
