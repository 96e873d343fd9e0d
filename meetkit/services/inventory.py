"""Use cases for a contact point's inventory: add and change devices of any kind, list them with their loans."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.domain.attendance_times import local_today
from meetkit.domain.devices import KINDS, Device, clean_kind, clean_notes, clean_serial
from meetkit.domain.models import ContactPoint
from meetkit.domain.names import clean_name
from meetkit.domain.scope import Scope
from meetkit.services import directory
from meetkit.services.audit import record_in
from meetkit.services.devices import MAX_DEVICE_NAME_LENGTH, scoped_device
from meetkit.services.loans import scope_ids, view_of
from meetkit.storage import contact_points, devices, loans
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

LABEL = "Die Bezeichnung des Geräts"


@dataclass(frozen=True, slots=True)
class InventoryItem:
    """A device with its contact point and where it is today: "free", "lent", "overdue" or "revoked"."""

    device: Device
    contact_point: ContactPoint
    state: str
    loan_id: int | None
    group_name: str | None
    until: dt.date | None


def _clean(
    label: str, kind: str, serial_number: str | None, notes: str | None
) -> tuple[str, str, str | None, str | None]:
    return (
        clean_name(label, LABEL, MAX_DEVICE_NAME_LENGTH),
        clean_kind(kind),
        clean_serial(serial_number),
        clean_notes(notes),
    )


async def add_item(
    db: Database,
    scope: Scope,
    contact_point_slug: str,
    label: str,
    kind: str,
    serial_number: str | None = None,
    notes: str | None = None,
) -> Device:
    """Add a device of any kind to a contact point's inventory (tablets are paired later, from its page)."""
    label, kind, serial_number, notes = _clean(label, kind, serial_number, notes)

    def insert(conn: Connection) -> Device:
        contact_point = directory.scoped_contact_point(conn, scope, contact_point_slug)
        device = devices.insert(
            conn, contact_point.id, label, None, None, kind=kind, serial_number=serial_number, notes=notes
        )
        record_in(conn, scope.actor, "device_added", f"#{device.id} {KINDS[kind]}")
        return device

    return await db.write(insert)


async def change_item(
    db: Database,
    scope: Scope,
    reference: str | int,
    label: str,
    kind: str,
    serial_number: str | None = None,
    notes: str | None = None,
) -> Device:
    """Change a device's label, kind, serial number and notes."""
    label, kind, serial_number, notes = _clean(label, kind, serial_number, notes)

    def change(conn: Connection) -> Device:
        device = scoped_device(conn, scope, reference)
        devices.update_details(conn, device.id, label, kind, serial_number, notes)
        record_in(conn, scope.actor, "device_changed", f"#{device.id}")
        found = devices.by_id(conn, device.id)
        assert found is not None
        return found

    return await db.write(change)


async def inventory(
    db: Database, scope: Scope, contact_point_slug: str | None = None, *, today: dt.date | None = None
) -> list[InventoryItem]:
    """The devices within the scope (or of one contact point), each with today's loan, if any."""
    day = today or local_today()

    def query(conn: Connection) -> list[InventoryItem]:
        chosen = directory.contact_point_id(conn, scope, contact_point_slug)
        points = {c.id: c for c in contact_points.all_(conn) if scope.allows(c.id)}
        ids = [chosen] if chosen is not None else scope_ids(scope)
        current = {}
        for lent in loans.of_contact_points(conn, ids):
            away = lent.away(day)
            if away is not None and away[0] <= day <= away[1]:
                current[lent.device_id] = lent
        items = []
        for device in devices.all_(conn, chosen):
            if device.contact_point_id not in points:
                continue
            loan = current.get(device.id)
            state = "revoked" if device.revoked else "free"
            group_name, until = None, None
            if loan is not None:
                state = "overdue" if loan.status(day) == "overdue" else "lent"
                group_name, until = view_of(conn, loan).group.name, loan.ends_on
            items.append(
                InventoryItem(
                    device,
                    points[device.contact_point_id],
                    state,
                    loan.id if loan else None,
                    group_name,
                    until,
                )
            )
        return items

    return await db.read(query)
