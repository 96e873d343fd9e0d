"""The checks of Prosody's room census: meetkit can read it, and nobody else can."""

from __future__ import annotations

from typing import Any

import aiohttp

from meetkit.config import Settings
from meetkit.domain.jsontext import InvalidJson, parse_json
from meetkit.jitsi.check_fetch import FetchError, fetch
from meetkit.jitsi.check_report import OK, PROBLEM, SKIPPED, Check


def census_shape_error(data: Any) -> str | None:
    """Return why `data` is not a mod_muc_census answer, or None if it is one."""
    if not isinstance(data, dict) or "room_census" not in data:
        return "no room_census key"
    rooms = data["room_census"]
    if rooms == {}:  # Prosody's JSON encoder writes an empty Lua table as {} (not verified live)
        return None
    if not isinstance(rooms, list):
        return "room_census is not a list"
    for index, room in enumerate(rooms):
        if not isinstance(room, dict):
            return f"room_census[{index}] is not an object"
        if not isinstance(room.get("room_name"), str) or "@" not in room["room_name"]:
            return f"room_census[{index}].room_name is not a room address"
        participants = room.get("participants")
        if isinstance(participants, bool) or not isinstance(participants, int):
            return f"room_census[{index}].participants is not a whole number"
    return None


async def census_check(session: aiohttp.ClientSession, settings: Settings) -> Check:
    """Check that MEETKIT_CENSUS_URL answers with Prosody's room census."""
    name = "room census"
    module_fix = (
        "Load the module with GLOBAL_MODULES=muc_census in docker-jitsi-meet's .env and restart prosody."
    )
    if not settings.census_url:
        return Check(
            name,
            SKIPPED,
            "MEETKIT_CENSUS_URL is not set: meetkit does not poll attendance counts from Prosody.",
            "Set MEETKIT_CENSUS_URL=http://xmpp.meet.jitsi:5280/room-census (docker: the add-on's default). "
            + module_fix,
        )
    url = settings.census_url
    try:
        answer = await fetch(session, url)
    except FetchError as error:
        return Check(
            name,
            PROBLEM,
            f"{url} {error}.",
            "Check MEETKIT_CENSUS_URL: Prosody's HTTP port 5280 on the internal network "
            "(docker: http://xmpp.meet.jitsi:5280/room-census).",
        )
    if answer.status != 200:
        return Check(name, PROBLEM, f"{url} answered HTTP {answer.status}.", module_fix)
    try:
        data = parse_json(answer.body)
    except InvalidJson:
        return Check(name, PROBLEM, f"{url} did not answer with JSON.", module_fix)
    shape_error = census_shape_error(data)
    if shape_error is not None:
        return Check(
            name,
            PROBLEM,
            f"{url} answered, but not in the shape of Prosody's room census ({shape_error}).",
            "MEETKIT_CENSUS_URL must point at mod_muc_census's /room-census. " + module_fix,
        )
    rooms = data["room_census"]
    count = len(rooms) if isinstance(rooms, list) else 0
    rooms_open = "1 room" if count == 1 else f"{count} rooms"
    return Check(name, OK, f"{url} answers in the documented shape ({rooms_open} open).")


async def census_not_public_check(session: aiohttp.ClientSession, settings: Settings) -> Check:
    """Check that Jitsi's public address does not publish the room census."""
    name = "census not public"
    url = f"{settings.jitsi_url}/room-census"
    try:
        answer = await fetch(session, url)
        data = parse_json(answer.body) if answer.status == 200 else None
    except (FetchError, InvalidJson):
        data = None
    if census_shape_error(data) is None:
        return Check(
            name,
            PROBLEM,
            f"the room census is published at {url}: anybody can list the open rooms and their sizes.",
            "Remove whatever publishes Prosody's port 5280 or /room-census (a `ports:` entry, a proxy "
            "location); meetkit reads it on the internal network.",
        )
    return Check(name, OK, f"{url} does not publish the room census.")
