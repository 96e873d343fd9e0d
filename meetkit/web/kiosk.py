"""The tablet kiosk: pairing, today's list, joining through Jitsi's iframe API, the in-room count.

Pairing: staff print or show the one-time link `/kiosk/pair/{pairing_token}`. Opening it on the tablet shows
one button; tapping it (a POST, so link previews cannot use it up) stores a new device token and sends
the tablet to `/kiosk/{device_token}`, the page to bookmark or keep as start page. The token also goes
into an HttpOnly, SameSite=Strict cookie for path /kiosk (Secure when MEETKIT_PUBLIC_URL is https), so
plain `/kiosk` finds the page again. Revoking the device stops both at once.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web

from meetkit.config import Settings
from meetkit.domain import schedules as sched
from meetkit.domain.devices import Device
from meetkit.domain.errors import NotFound
from meetkit.domain.links import member_url
from meetkit.domain.models import ContactPoint
from meetkit.jitsi.urls import PRIVACY_CONFIG
from meetkit.qr import qr_svg_document
from meetkit.services import devices, kiosk
from meetkit.web.i18n import request_language
from meetkit.web.jsonbody import read_object
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import guarded
from meetkit.web.privacy import footer_links
from meetkit.web.security import origin

T = TypeVar("T")
COOKIE = "meetkit_kiosk"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
REFRESH_SECONDS = 300  # the day's list reloads itself this often while no meeting is open

routes = web.RouteTableDef()


# --- headers ---


def kiosk_csp(settings: Settings) -> str:
    """Only our own files, plus Jitsi's external_api.js and its iframe; nothing else anywhere."""
    jitsi = origin(settings.jitsi_url)
    return (
        f"default-src 'none'; script-src 'self' {jitsi}; frame-src {jitsi}; connect-src 'self'; "
        "style-src 'self'; img-src 'self' data:; font-src 'self'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


def kiosk_permissions(settings: Settings) -> str:
    """Camera, microphone and the like for the Jitsi iframe only (the page itself never asks)."""
    jitsi = json.dumps(origin(settings.jitsi_url))
    features = ("camera", "microphone", "display-capture", "autoplay", "fullscreen", "screen-wake-lock")
    return ", ".join(f"{f}=(self {jitsi})" for f in features) + ", geolocation=(), interest-cohort=()"


def _kiosk_headers(settings: Settings) -> dict[str, str]:
    return {
        "Content-Security-Policy": kiosk_csp(settings),
        "Permissions-Policy": kiosk_permissions(settings),
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
    }


def _cookie(response: web.StreamResponse, settings: Settings, device_token: str | None) -> None:
    if device_token is None:
        response.del_cookie(COOKIE, path="/kiosk")
        return
    response.set_cookie(
        COOKIE,
        device_token,
        max_age=COOKIE_MAX_AGE,
        path="/kiosk",
        httponly=True,
        samesite="Strict",
        secure=settings.public_url.startswith("https://"),
    )


# --- look-ups under the failure limit ---


async def _device(request: web.Request) -> tuple[Device, ContactPoint, str]:
    """The device behind the URL's token; NotFound/Unauthorized (revoked) are answered by web/errors.py."""
    token = request.match_info["device_token"]
    device, contact_point = await guarded(
        request, lambda: devices.device_for_token(request.app[DATABASE], token)
    )
    await devices.note_seen(request.app[DATABASE], device)
    return device, contact_point, token


def _group_id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise NotFound("Diese Gruppe gibt es hier nicht.")
    return value


# --- pages ---


@routes.get("/kiosk", name="kiosk_entry")
async def kiosk_entry(request: web.Request) -> web.StreamResponse:
    """Plain /kiosk: back to the paired page via the cookie, or explain how to pair."""
    settings = request.app[SETTINGS]
    token = request.cookies.get(COOKIE)
    if token:
        found = await devices.device_by_token(request.app[DATABASE], token)
        if found is not None and not found.revoked:
            raise web.HTTPSeeOther(f"/kiosk/{token}", headers=_kiosk_headers(settings))
    response = aiohttp_jinja2.render_template(
        "kiosk_message.html",
        request,
        {"lang": request_language(request, easy_read=True), "kind": "unpaired", **footer_links(request)},
        status=200,
    )
    response.headers.update(_kiosk_headers(settings))
    _cookie(response, settings, None)
    return response


@routes.get("/kiosk/pair/{pairing_token}", name="kiosk_pair_page")
async def kiosk_pair_page(request: web.Request) -> web.StreamResponse:
    """Show the pairing button (GET never uses the link up, so previews and scanners are harmless)."""
    token = request.match_info["pairing_token"]
    device = await guarded(request, lambda: devices.pairing_device(request.app[DATABASE], token))
    contact_point = await devices.contact_point_of(request.app[DATABASE], device)
    response = aiohttp_jinja2.render_template(
        "kiosk_message.html",
        request,
        {
            "lang": request_language(request, easy_read=True),
            "kind": "pair",
            "device_name": device.name,
            "contact_point": contact_point,
            "action": f"/kiosk/pair/{token}",
            **footer_links(request),
        },
    )
    response.headers.update(_kiosk_headers(request.app[SETTINGS]))
    return response


@routes.post("/kiosk/pair/{pairing_token}", name="kiosk_pair")
async def kiosk_pair(request: web.Request) -> web.StreamResponse:
    """Use up the pairing link: store the device token (cookie) and go to the kiosk page."""
    settings = request.app[SETTINGS]
    token = request.match_info["pairing_token"]
    _, device_token = await guarded(request, lambda: devices.pair_device(request.app[DATABASE], token))
    response = web.HTTPSeeOther(f"/kiosk/{device_token}", headers=_kiosk_headers(settings))
    _cookie(response, settings, device_token)
    raise response


@routes.get("/kiosk/{device_token}", name="kiosk")
async def kiosk_page(request: web.Request) -> web.StreamResponse:
    """Today's meetings of the tablet's contact point in very large type; the next one highlighted."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    token = request.match_info["device_token"]
    lang = request_language(request, easy_read=True)
    found = await devices.device_by_token(db, token)
    if found is not None and found.revoked:
        response = aiohttp_jinja2.render_template(
            "kiosk_message.html",
            request,
            {"lang": lang, "kind": "revoked", **footer_links(request)},
            status=403,
        )
        response.headers.update(_kiosk_headers(settings))
        _cookie(response, settings, None)
        return response
    _, contact_point, _ = await _device(request)
    now = kiosk.now_utc()
    meetings = await kiosk.todays_meetings(db, contact_point, now=now)
    today = now.astimezone(sched.TIMEZONE).date()
    response = aiohttp_jinja2.render_template(
        "kiosk.html",
        request,
        {
            "lang": lang,
            "contact_point": contact_point,
            "meetings": meetings,
            "today": today,
            "base": f"/kiosk/{token}",
            "jitsi_url": settings.jitsi_url,
            "refresh_seconds": REFRESH_SECONDS,
            **footer_links(request),
        },
    )
    response.headers.update(_kiosk_headers(settings))
    return response


# --- JSON for the page's script ---


def config_overwrite() -> dict[str, Any]:
    """The member page's privacy settings (nested for the iframe API) plus the kiosk's own."""
    config: dict[str, Any] = {}
    for dotted, value in PRIVACY_CONFIG.items():
        *parents, leaf = dotted.split(".")
        node = config
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    config["prejoinConfig"] = {"enabled": False}
    config.setdefault("deeplinking", {})["disabled"] = True
    config["disableThirdPartyRequests"] = True
    config["defaultLanguage"] = "de"
    return config


def jitsi_domain(settings: Settings) -> str:
    """What JitsiMeetExternalAPI wants as `domain`: host[:port][/path] of JITSI_URL."""
    parts = urlsplit(settings.jitsi_url)
    return parts.netloc + parts.path.rstrip("/")


@routes.post("/kiosk/{device_token}/join.json", name="kiosk_join")
async def kiosk_join(request: web.Request) -> web.Response:
    """The options for `new JitsiMeetExternalAPI(domain, options)` for one of today's groups."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    device, contact_point, token = await _device(request)
    body = await read_object(request)
    now = kiosk.now_utc()
    info = await kiosk.join(db, settings, device, contact_point, _group_id(body.get("group_id")), now=now)
    options: dict[str, Any] = {
        "roomName": info.group.room,
        "configOverwrite": config_overwrite(),
        "interfaceConfigOverwrite": {"SHOW_JITSI_WATERMARK": False, "MOBILE_APP_PROMO": False},
        "userInfo": {"displayName": info.display_name},
        "lang": request_language(request),
    }
    if info.jwt is not None:
        options["jwt"] = info.jwt
    occ = info.occurrence
    return web.json_response(
        {
            "script": f"{settings.jitsi_url}/external_api.js",
            "domain": jitsi_domain(settings),
            "options": options,
            "group_id": info.group.id,
            "title": kiosk.title_for(info.group, contact_point),
            "time": f"{occ.start:%H:%M}–{occ.end:%H:%M}",
            "place": occ.place,
            "leave_at": int(info.leave_at.timestamp() * 1000),
            "qr": f"/kiosk/{token}/qr/{info.group.id}.svg",
        },
        headers={"Cache-Control": "no-store"},
    )


@routes.post("/kiosk/{device_token}/headcount.json", name="kiosk_headcount")
async def kiosk_headcount(request: web.Request) -> web.Response:
    """Save how many people sit in the room: the in-room count of today's meeting."""
    db = request.app[DATABASE]
    device, contact_point, _ = await _device(request)
    body = await read_object(request)
    meeting = await kiosk.record_in_room(
        db, device, contact_point, _group_id(body.get("group_id")), body.get("in_room")
    )
    return web.json_response(
        {
            "group_id": meeting.group.id,
            "date": meeting.occurrence.day.isoformat(),
            "in_room": body["in_room"],
        },
        headers={"Cache-Control": "no-store"},
    )


@routes.get("/kiosk/{device_token}/qr/{group_id:[0-9]+}.svg", name="kiosk_member_qr")
async def kiosk_member_qr(request: web.Request) -> web.Response:
    """The member link's QR code, for latecomers in the room."""
    db, settings = request.app[DATABASE], request.app[SETTINGS]
    _, contact_point, _ = await _device(request)
    meeting = await kiosk.todays_meeting(db, contact_point, int(request.match_info["group_id"]))
    svg = qr_svg_document(member_url(settings.public_url, meeting.group.member_code))
    return web.Response(text=svg, content_type="image/svg+xml", headers={"Cache-Control": "no-store"})
