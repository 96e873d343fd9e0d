"""Staff pages for kiosk tablets: the list with "last seen", add one, pair it by QR code, revoke it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiohttp import web
from markupsafe import Markup

from meetkit.domain.accounts import N_
from meetkit.domain.devices import Device
from meetkit.domain.errors import InvalidInput
from meetkit.domain.models import ContactPoint
from meetkit.domain.numbers import parse_id
from meetkit.qr import qr_svg
from meetkit.services import accounts, devices
from meetkit.web.forms import read_form
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.staff_session import render, scope, with_lang

routes = web.RouteTableDef()

TABLET_ID = "{id:[0-9]+}"
NOTICES = {"revoked": N_("Das Tablet ist abgemeldet. Es zeigt keine Treffen mehr.")}
STATUS_WORDS = {
    "paired": N_("gekoppelt"),
    "pairing": N_("wartet auf Kopplung"),
    "unpaired": N_("nicht gekoppelt"),
    "revoked": N_("abgemeldet"),
}


@dataclass(frozen=True, slots=True)
class TabletRow:
    """One tablet as the list shows it."""

    device: Device
    contact_point: ContactPoint | None
    status: str
    last_seen: str | None  # stored UTC; the page shows it in local time


def _tablet_id(request: web.Request) -> int:
    return parse_id(request.match_info["id"], "Tablet")


def _slug(request: web.Request) -> str | None:
    return request.query.get("contact_point") or None


async def _tablets_page(
    request: web.Request,
    *,
    error: InvalidInput | None = None,
    field: str | None = None,
    entered: dict[str, str] | None = None,
    issued: devices.IssuedPairing | None = None,
) -> web.Response:
    db, who = request.app[DATABASE], scope(request)
    slug = _slug(request)
    now = devices.now_utc()
    found = await devices.list_devices(db, who, slug)
    rows = [TabletRow(d, cp, d.status(now), d.last_seen_at) for d, cp in found if d.pairable]
    shown: dict[str, Any] | None = None
    if issued is not None:
        url = issued.url(request.app[SETTINGS])
        shown = {
            "device": issued.device,
            "url": url,
            "qr": Markup(qr_svg(url)),  # noqa: S704 - our own SVG, made from a URL we built
            "until": issued.device.pairing_expires_at,
        }
    return render(
        request,
        "tablets.html",
        error=error,
        field=field,
        tablets=rows,
        status_words=STATUS_WORDS,
        contact_points=await accounts.visible_contact_points(db, who),
        slug=slug,
        entered=entered or {},
        issued=shown,
        notice=NOTICES.get(request.query.get("done", "")),
    )


@routes.get("/staff/tablets", name="staff_tablets")
async def tablets_page(request: web.Request) -> web.StreamResponse:
    """The kiosk tablets of one's contact points (admins: all, or one with ?contact_point=)."""
    return await _tablets_page(request)


@routes.post("/staff/tablets", name="staff_tablet_add")
async def add_tablet(request: web.Request) -> web.StreamResponse:
    """Add a tablet and show its pairing link as a QR code to scan with the tablet (this once)."""
    form = await read_form(request)
    entered = {k: form.get(k, "") for k in ("name", "contact_point")}
    try:
        issued = await devices.add_device(
            request.app[DATABASE], scope(request), entered["name"], entered["contact_point"]
        )
    except InvalidInput as error:
        return await _tablets_page(request, error=error, field="name", entered=entered)
    return await _tablets_page(request, issued=issued)


@routes.post(f"/staff/tablets/{TABLET_ID}/pairing", name="staff_tablet_pairing")
async def new_pairing(request: web.Request) -> web.StreamResponse:
    """Open a new pairing link (the tablet was reset or replaced) and show it as a QR code."""
    try:
        issued = await devices.new_pairing(request.app[DATABASE], scope(request), _tablet_id(request))
    except InvalidInput as error:
        return await _tablets_page(request, error=error)
    return await _tablets_page(request, issued=issued)


async def _revoke_page(request: web.Request, error: InvalidInput | None = None) -> web.Response:
    device = await devices.find_device(request.app[DATABASE], scope(request), _tablet_id(request))
    return render(
        request, "tablet_revoke.html", error=error, field="confirm" if error else None, device=device
    )


@routes.get(f"/staff/tablets/{TABLET_ID}/revoke", name="staff_tablet_revoke_form")
async def revoke_form(request: web.Request) -> web.StreamResponse:
    """Ask before revoking: what stops working."""
    return await _revoke_page(request)


@routes.post(f"/staff/tablets/{TABLET_ID}/revoke", name="staff_tablet_revoke")
async def revoke(request: web.Request) -> web.StreamResponse:
    """Revoke a tablet once the box is ticked: its kiosk page and open pairing link stop working at once."""
    form = await read_form(request)
    if form.get("confirm") != "yes":
        error = InvalidInput("Bitte bestätigen Sie, dass das Tablet abgemeldet werden soll.")
        return await _revoke_page(request, error)
    try:
        await devices.revoke_device(request.app[DATABASE], scope(request), _tablet_id(request))
    except InvalidInput as error:
        return await _revoke_page(request, error)
    raise web.HTTPSeeOther(with_lang(request, "/staff/tablets", done="revoked"))
