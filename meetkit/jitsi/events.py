"""Prosody event_sync webhooks, reduced at once to what meetkit keeps: the room, a count, a moment.

event_sync (jitsi-contrib) POSTs JSON to `<api_prefix>/events/room/created`, `/room/destroyed`,
`/occupant/joined` and `/occupant/left`. Besides the room and `active_occupants_count` its payloads carry
personal data: `occupant.name`, `.email`, `.id`, `.occupant_jid`, per-person `joined_at`/`left_at`, and the
whole `all_occupants` list. parse_event() returns a RoomEvent made only of the room name, the count and
the event time; the payload object is not kept, stored or logged anywhere.

Event times come from the payload: `created_at` and `destroyed_at` (unix seconds) for room events. An
occupant event has no room-level time; its only moment is when the count changed, which event_sync writes
into `occupant.joined_at`/`left_at`. meetkit reads that number as "the room's count changed at", never
stores it with anything that refers to a person, and keeps only 5-minute-rounded start and end times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from meetkit.domain.attendance import MAX_OCCUPANTS, Kind, Observation
from meetkit.domain.errors import InvalidInput
from meetkit.domain.jsontext import parse_json

EVENT_KINDS: dict[str, Kind] = {
    "room/created": Kind.CREATED,
    "room/destroyed": Kind.DESTROYED,
    "occupant/joined": Kind.COUNT,
    "occupant/left": Kind.COUNT,
}
_ROOM = re.compile(r"[a-z0-9][a-z0-9._-]{0,99}")
_PAST_SECONDS = 7 * 24 * 3600  # event_sync retries for seconds, not days
_FUTURE_SECONDS = 24 * 3600


@dataclass(frozen=True, slots=True)
class RoomEvent:
    """What meetkit keeps of a webhook: the room (JID node) and a count-only observation."""

    room: str
    observation: Observation


def parse_event(path: str, body: bytes, now: int) -> RoomEvent | None:
    """Reduce one webhook body to a RoomEvent; None for events that say nothing about a main room."""
    kind = EVENT_KINDS.get(path)
    if kind is None:
        raise InvalidInput("Unbekannte Ereignisart.")
    payload = parse_json(body)  # refuses NaN, Infinity and 1e400: event times are finite numbers
    if not isinstance(payload, dict):
        raise InvalidInput("Erwartet wird ein JSON-Objekt.")
    if payload.get("is_breakout") is True:
        return None  # breakout rooms carry their own counts; the main room's events cover the meeting
    room = _room(payload)
    if room is None:
        return None
    if kind == Kind.CREATED:
        at = _moment(payload.get("created_at"), now)
        return RoomEvent(room, Observation(at, kind, None, at))
    if kind == Kind.DESTROYED:
        return RoomEvent(room, Observation(_moment(payload.get("destroyed_at"), now), kind, 0))
    occupant = payload.get("occupant")
    moment = None
    if isinstance(occupant, dict):
        moment = occupant.get("joined_at" if path == "occupant/joined" else "left_at")
    return RoomEvent(room, Observation(_moment(moment, now), kind, _count(payload)))


def _room(payload: dict[str, Any]) -> str | None:
    """The room's name: `room_name`, else the node of `room_jid`; None when it cannot be a meetkit room."""
    name = payload.get("room_name")
    if not isinstance(name, str):
        jid = payload.get("room_jid")
        name = jid.partition("@")[0] if isinstance(jid, str) else None
    if name is None:
        return None
    name = name.lower()
    return name if _ROOM.fullmatch(name) else None


def _count(payload: dict[str, Any]) -> int:
    value = payload.get("active_occupants_count")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_OCCUPANTS:
        raise InvalidInput("active_occupants_count fehlt oder ist keine Anzahl.")
    return value


def _moment(value: object, now: int) -> int:
    """A plausible unix time from the payload, else `now` (when the sender left it out or garbled it)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return now
    seconds = int(value)
    if now - _PAST_SECONDS <= seconds <= now + _FUTURE_SECONDS:
        return seconds
    return now
