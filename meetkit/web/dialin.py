"""Dial-in routes: Jitsi's `dialInConfCodeUrl` and `dialInNumbersUrl`, and the PBX's PIN look-up.

- `GET /jitsi/conference-mapper?conference=ROOM@MUC[&url=...]` (public, CORS for the Jitsi origin):
  200 `{"message", "id": PIN, "conference": "room@muc"}`; unknown room 404 `{"error", "message",
  "id": false, "conference": false}`.
- `GET /jitsi/conference-mapper?id=PIN` with `Authorization: Bearer $MEETKIT_PBX_SECRET`: the same shapes.
  Wrong or missing secret 401, secret not configured 403; wrong secrets, malformed and unknown PINs count
  as failures of the calling client under the PBX's own budget (domain/failure_budget.py), then 429.
- `GET /jitsi/dial-in-numbers[?conference=ROOM@MUC]` (public, CORS): the numbers array; `[]` without
  dial-in, which Jitsi shows as "dial-in not enabled".
- Every other refusal is 4xx `{"error": "..."}` (web/errors.py); no answer repeats the PIN or room asked for.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from functools import lru_cache

from aiohttp import web

from meetkit.config import DialInNumber
from meetkit.domain.errors import InvalidInput, MeetkitError
from meetkit.domain.failure_budget import SecretKind
from meetkit.jitsi.dialin import (
    conference_answer,
    not_found_answer,
    numbers_answer,
    parse_conference,
    parse_pin,
    single_parameter,
)
from meetkit.services import dialin as service
from meetkit.web.bearer import require_bearer
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import check_budget, count_failure
from meetkit.web.security import origin

log = logging.getLogger("meetkit.dialin")

MAPPER_PATH = "/jitsi/conference-mapper"
NUMBERS_PATH = "/jitsi/dial-in-numbers"
CORS_PATHS = frozenset({MAPPER_PATH, NUMBERS_PATH})
PBX_REFUSAL = "PIN-Abfragen brauchen den Kopf 'Authorization: Bearer' mit MEETKIT_PBX_SECRET."

routes = web.RouteTableDef()


def setup(app: web.Application) -> None:
    """Add the PIN backfill at start and the CORS headers (after the database ctx)."""
    app.cleanup_ctx.append(pins_ctx)
    app.on_response_prepare.append(add_cors_headers)


async def pins_ctx(app: web.Application) -> AsyncIterator[None]:
    """At start, give groups created before dial-in was configured their PIN."""
    count = await service.assign_missing_pins(app[DATABASE], app[SETTINGS])
    if count:
        log.info("gave %d group(s) created before dial-in was configured a PIN", count)
    yield


@lru_cache(maxsize=8)
def _allowed_origin(jitsi_url: str) -> str:
    return origin(jitsi_url)


async def add_cors_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Let the Jitsi page (JITSI_URL's origin, not `*`) read the two public answers, errors included."""
    if request.path in CORS_PATHS:
        response.headers["Access-Control-Allow-Origin"] = _allowed_origin(request.app[SETTINGS].jitsi_url)


@routes.route("OPTIONS", MAPPER_PATH, name="dialin_mapper_preflight")
@routes.route("OPTIONS", NUMBERS_PATH, name="dialin_numbers_preflight")
async def preflight(request: web.Request) -> web.Response:
    """Answer a CORS preflight: GET only, no extra request headers (so never Authorization)."""
    return web.Response(
        status=204, headers={"Access-Control-Allow-Methods": "GET", "Access-Control-Max-Age": "86400"}
    )


@routes.get(MAPPER_PATH, name="dialin_mapper")
async def conference_mapper(request: web.Request) -> web.Response:
    """Jitsi asks for a room's PIN (`?conference=`); the PBX asks for a PIN's room (`?id=`)."""
    query = request.query
    if ("conference" in query) == ("id" in query):
        raise InvalidInput("Bitte genau einen der Parameter 'conference' oder 'id' angeben.")
    if "id" in query:
        return await _room_for_pin(request)
    settings = request.app[SETTINGS]
    service.require_dialin(settings)
    room = parse_conference(single_parameter(query.getall("conference"), "conference"), settings.muc_domain)
    db = request.app[DATABASE]
    # Known rooms' answers are kept until the next commit anywhere (Database.cache_get); unknown rooms are not
    # kept, so they cannot crowd out others.
    cache_key = ("room", room)
    body = db.cache_get(cache_key, bytes)
    if body is None:
        pin = await service.pin_for_room(db, settings, room)
        if pin is None:
            return _json(NOT_FOUND_BODY, status=404)
        body = _encode(conference_answer(pin, room, settings.muc_domain))
        db.cache_put(cache_key, body)
    return _json(body)


async def _room_for_pin(request: web.Request) -> web.Response:
    """The PBX's look-up, behind its bearer secret and the PBX's failure budget."""
    settings = request.app[SETTINGS]
    service.require_dialin(settings)
    secret = service.require_pbx_secret(settings)
    client = await check_budget(request, SecretKind.PBX_PIN)
    db = request.app[DATABASE]
    try:
        require_bearer(request, secret, PBX_REFUSAL)
        pin = parse_pin(single_parameter(request.query.getall("id"), "id"))
        cache_key = ("pin", pin)
        body = db.cache_get(cache_key, bytes)
        if body is None:
            room = await service.room_for_pin(db, pin)
            if room is None:
                await count_failure(request, SecretKind.PBX_PIN, client)
                return _json(NOT_FOUND_BODY, status=404)
            body = _encode(conference_answer(pin, room, settings.muc_domain))
            db.cache_put(cache_key, body)
    except MeetkitError:
        await count_failure(request, SecretKind.PBX_PIN, client)
        raise
    return _json(body)


@routes.get(NUMBERS_PATH, name="dialin_numbers")
async def dial_in_numbers(request: web.Request) -> web.Response:
    """The numbers Jitsi's invite dialog shows; the same for every room, so the room is only checked."""
    settings = request.app[SETTINGS]
    conference = request.query.getall("conference", [])
    if conference:
        parse_conference(single_parameter(conference, "conference"), settings.muc_domain)
    return _json(_numbers_body(settings.dialin_numbers))


_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _encode(data: object) -> bytes:
    return _ENCODER.encode(data).encode()


NOT_FOUND_BODY = _encode(not_found_answer())


@lru_cache(maxsize=8)
def _numbers_body(numbers: tuple[DialInNumber, ...]) -> bytes:
    return _encode(numbers_answer(numbers))


def _json(body: bytes, status: int = 200) -> web.Response:
    """A JSON answer from ready bytes (json_response would encode text again, which costs per request)."""
    return web.Response(body=body, status=status, content_type="application/json")
