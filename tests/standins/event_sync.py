"""Payloads exactly as jitsi-contrib's event_sync component sends them (mod_event_sync_component.lua).

Occupant data carries what event_sync always sends from a token's context.user (`name`, `email`, `id`)
plus the session JID and per-person times; `room/destroyed` lists every occupant ever seen. meetkit must
keep none of it. Formats follow ../shared/jitsi.md section 3 and event_sync's README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MUC = "muc.meet.jitsi"


@dataclass
class Person:
    """Someone in a meeting, as event_sync describes them (personal data meetkit must drop)."""

    name: str
    email: str
    id: str
    occupant_jid: str


@dataclass
class EventSyncRoom:
    """Builds the four event_sync payloads for one room, tracking occupants like event_sync does."""

    room: str
    created_at: int
    breakout_room_id: str | None = None
    occupants: dict[str, dict[str, Any]] = field(default_factory=dict)
    active: set[str] = field(default_factory=set)

    def _common(self, event_name: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "event_name": event_name,
            "room_name": self.room,
            "room_jid": f"{self.room}@{MUC}",
            "is_breakout": self.breakout_room_id is not None,
        }
        if self.breakout_room_id is not None:
            body["breakout_room_id"] = self.breakout_room_id
        return body

    def created(self) -> tuple[str, dict[str, Any]]:
        """POST /events/room/created."""
        return "room/created", {**self._common("muc-room-created"), "created_at": self.created_at}

    def joined(self, person: Person, at: int) -> tuple[str, dict[str, Any]]:
        """POST /events/occupant/joined."""
        data = {
            "occupant_jid": person.occupant_jid,
            "joined_at": at,
            "name": person.name,
            "email": person.email,
            "id": person.id,
        }
        self.occupants[person.occupant_jid] = data
        self.active.add(person.occupant_jid)
        body = {**self._common("muc-occupant-joined"), "occupant": dict(data)}
        return "occupant/joined", {**body, "active_occupants_count": len(self.active)}

    def left(self, person: Person, at: int) -> tuple[str, dict[str, Any]]:
        """POST /events/occupant/left."""
        self.active.discard(person.occupant_jid)
        data = self.occupants[person.occupant_jid]
        data["left_at"] = at
        body = {**self._common("muc-occupant-left"), "occupant": dict(data)}
        return "occupant/left", {**body, "active_occupants_count": len(self.active)}

    def destroyed(self, at: int) -> tuple[str, dict[str, Any]]:
        """POST /events/room/destroyed, with every occupant ever seen."""
        return "room/destroyed", {
            **self._common("muc-room-destroyed"),
            "created_at": self.created_at,
            "destroyed_at": at,
            "all_occupants": [dict(o) for o in self.occupants.values()],
        }


def people(count: int, marker: str = "") -> list[Person]:
    """Distinct people with names, e-mail addresses, ids and session JIDs that are easy to search for."""
    return [
        Person(
            name=f"Erika Mustermann{marker}{i}",
            email=f"erika{marker}{i}@example.org",
            id=f"user-id-{marker}{i}",
            occupant_jid=f"3f2c9a1e-{marker}{i:04d}-4b7e-9d2f-1a2b3c4d5e6f@meet.jitsi/Res{marker}{i}",
        )
        for i in range(count)
    ]


def meeting(room: str, start: int, attendees: list[Person]) -> list[tuple[str, dict[str, Any]]]:
    """A whole meeting: created, everybody joins a minute apart, stays 90 minutes, leaves, destroyed."""
    sync = EventSyncRoom(room, start)
    events = [sync.created()]
    for i, person in enumerate(attendees):
        events.append(sync.joined(person, start + 30 + 60 * i))
    for i, person in enumerate(attendees):
        events.append(sync.left(person, start + 5400 + 10 * i))
    events.append(sync.destroyed(start + 5400 + 10 * len(attendees) + 5))
    return events
