"""The staff API for kiosk tablets: list, register, open a pairing link, revoke (never a token in a list)."""

from __future__ import annotations

from aiohttp import web

from meetkit.config import Settings
from meetkit.services import devices
from meetkit.web import apimodels as models
from meetkit.web.apiroutes import ApiRoutes, api_scope
from meetkit.web.keys import DATABASE, SETTINGS

routes = web.RouteTableDef()
api_routes = ApiRoutes(routes)


@api_routes.get("/devices", name="api_devices", errors=(404,))
async def api_devices(request: web.Request, query: models.DevicesQuery) -> models.DeviceList:
    """List kiosk tablets (never their tokens), optionally of one contact point."""
    found = await devices.list_devices(request.app[DATABASE], api_scope(request), query.contact_point)
    return models.DeviceList.model_validate({"devices": [devices.device_json(d, cp) for d, cp in found]})


def _pairing(settings: Settings, issued: devices.IssuedPairing) -> models.DevicePairing:
    return models.DevicePairing.model_validate(
        {
            "device": devices.device_json(issued.device),
            "pairing_url": issued.url(settings),
            "pairing_expires_at": issued.device.pairing_expires_at,
        }
    )


@api_routes.post("/devices", name="api_device_add", status=201, errors=(404,))
async def api_device_add(request: web.Request, body: models.NewDevice) -> models.DevicePairing:
    """Register a tablet; the answer carries its one-time pairing_url, shown only once."""
    issued = await devices.add_device(
        request.app[DATABASE],
        api_scope(request),
        body.name,
        body.contact_point,
        valid_minutes=body.valid_minutes,
    )
    return _pairing(request.app[SETTINGS], issued)


@api_routes.post("/devices/{id}/pairing", name="api_device_pairing", body_required=False)
async def api_device_pairing(
    request: web.Request, path: models.DevicePath, body: models.NewPairing
) -> models.DevicePairing:
    """A new one-time pairing link; once used, the tablet's previous token stops working."""
    issued = await devices.new_pairing(
        request.app[DATABASE], api_scope(request), path.id, valid_minutes=body.valid_minutes
    )
    return _pairing(request.app[SETTINGS], issued)


@api_routes.post("/devices/{id}/revoke", name="api_device_revoke", errors=(400,))
async def api_device_revoke(request: web.Request, path: models.DevicePath) -> models.Device:
    """Revoke a tablet: its kiosk page and any open pairing link stop working at once."""
    device = await devices.revoke_device(request.app[DATABASE], api_scope(request), path.id)
    return models.Device.model_validate(devices.device_json(device))
