"""Dial-in use cases: a PIN for every group, room by PIN for the PBX, PIN by room for Jitsi."""

from __future__ import annotations

from meetkit.config import Settings
from meetkit.domain.errors import FeatureDisabled
from meetkit.storage import dialin, groups
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database


def require_dialin(settings: Settings) -> None:
    """Raise FeatureDisabled unless dial-in numbers are configured."""
    if not settings.dialin_enabled:
        raise FeatureDisabled("Die Einwahl per Telefon ist nicht eingerichtet (MEETKIT_DIALIN_NUMBERS).")


def require_pbx_secret(settings: Settings) -> str:
    """Return MEETKIT_PBX_SECRET, or raise FeatureDisabled: without it PIN look-ups are refused."""
    if not settings.pbx_secret:
        raise FeatureDisabled("PIN-Abfragen sind abgeschaltet: MEETKIT_PBX_SECRET ist nicht gesetzt.")
    return settings.pbx_secret


async def room_for_pin(db: Database, pin: str) -> str | None:
    """Return the room of the group with this current PIN, or None."""
    group = await db.read(lambda conn: groups.by_pin(conn, pin))
    return group.room if group else None


async def pin_for_room(db: Database, settings: Settings, room: str) -> str | None:
    """Return the PIN of the group that owns `room` (giving it one if it has none yet), or None."""
    group = await db.read_one(groups.by_rooms, room)  # look-ups arriving together share one read
    if group is None:
        return None
    if group.pin is not None:
        return group.pin
    group_id = group.id
    return await db.write(lambda conn: _give_pin(conn, settings, group_id))


async def assign_missing_pins(db: Database, settings: Settings) -> int:
    """Give every group without a PIN a fresh one (when dial-in is configured); return how many."""
    if not settings.dialin_enabled or not await db.read(dialin.groups_without_pin):
        return 0  # the usual case: no write lock taken

    def assign(conn: Connection) -> int:
        missing = dialin.groups_without_pin(conn)
        for group_id in missing:
            _give_pin(conn, settings, group_id)
        return len(missing)

    return await db.write(assign)


def _give_pin(conn: Connection, settings: Settings, group_id: int) -> str | None:
    """Give one group a fresh PIN unless it has one; return its PIN afterwards."""
    dialin.set_pin_if_missing(conn, group_id, dialin.fresh_pin(conn, settings.pin_digits))
    return dialin.pin_of(conn, group_id)
