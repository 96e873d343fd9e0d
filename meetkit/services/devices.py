"""Use cases for kiosk tablets: register, pair through a one-time link, look up, revoke."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain.devices import (
    KINDS,
    MAX_PAIRING_MINUTES,
    PAIRING_MINUTES,
    SEEN_EVERY_SECONDS,
    Device,
    clean_kind,
    clean_notes,
    clean_serial,
    pairing_expiry,
    pairing_open,
    seen_long_ago,
    timestamp,
)
from meetkit.domain.errors import InvalidInput, NotFound, Unauthorized
from meetkit.domain.models import ContactPoint
from meetkit.domain.names import clean_name
from meetkit.domain.references import find_by_reference
from meetkit.domain.scope import Scope
from meetkit.services import directory
from meetkit.services.audit import record_in
from meetkit.storage import contact_points, devices
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

MAX_DEVICE_NAME_LENGTH = 100
PAIRING_INVALID = (
    "Dieser Kopplungslink gilt nicht (mehr): er ist abgelaufen oder wurde schon benutzt. "
    "Bitte in der Kontaktstelle einen neuen erstellen lassen (meetkit device pair)."
)
DEVICE_REVOKED = (
    "Dieses Tablet wurde abgemeldet und zeigt keine Treffen mehr. "
    "Bitte wenden Sie sich an die Kontaktstelle, wenn es wieder benutzt werden soll."
)
DEVICE_UNKNOWN = "Dieses Tablet ist nicht (mehr) gekoppelt. Bitte in der Kontaktstelle neu koppeln lassen."


@dataclass(frozen=True, slots=True)
class IssuedPairing:
    """A device with its one-time pairing link, which is only known right after it was made."""

    device: Device
    pairing_token: str

    def url(self, settings: Settings) -> str:
        """The pairing link to open on the tablet."""
        return pairing_url(settings, self.pairing_token)


def now_utc() -> dt.datetime:
    """The current moment, aware."""
    return dt.datetime.now(dt.UTC)


def pairing_url(settings: Settings, pairing_token: str) -> str:
    """The link that pairs a tablet: `{public}/kiosk/pair/{token}`."""
    return f"{settings.public_url}/kiosk/pair/{pairing_token}"


def kiosk_url(settings: Settings, device_token: str) -> str:
    """The kiosk page of a paired tablet: `{public}/kiosk/{device_token}`."""
    return f"{settings.public_url}/kiosk/{device_token}"


def device_json(
    device: Device, contact_point: ContactPoint | None = None, now: dt.datetime | None = None
) -> dict[str, object]:
    """The JSON shape of a device (never a token)."""
    data: dict[str, object] = {
        "id": device.id,
        "name": device.name,
        "contact_point_id": device.contact_point_id,
        "status": device.status(now or now_utc()),
        "paired_at": device.paired_at,
        "pairing_expires_at": device.pairing_expires_at,
        "revoked_at": device.revoked_at,
        "created_at": device.created_at,
        "kind": device.kind,
        "serial_number": device.serial_number,
        "notes": device.notes,
    }
    if contact_point is not None:
        data["contact_point"] = contact_point.slug
    return data


def _minutes(valid_minutes: int) -> int:
    if not 1 <= valid_minutes <= MAX_PAIRING_MINUTES:
        raise InvalidInput(f"Ein Kopplungslink gilt 1 bis {MAX_PAIRING_MINUTES} Minuten.")
    return valid_minutes


async def add_device(
    db: Database,
    scope: Scope,
    name: str,
    contact_point_slug: str,
    *,
    valid_minutes: int = PAIRING_MINUTES,
    now: dt.datetime | None = None,
    kind: str = "tablet",
    serial_number: str | None = None,
    notes: str | None = None,
) -> IssuedPairing:
    """Register a tablet (or laptop) of a contact point and open its one-time pairing link."""
    name = clean_name(name, "Der Name des Tablets", MAX_DEVICE_NAME_LENGTH)
    kind, serial_number, notes = clean_kind(kind), clean_serial(serial_number), clean_notes(notes)
    if kind not in ("tablet", "laptop"):
        raise InvalidInput(f"Nur Tablets und Laptops werden gekoppelt, kein Gerät der Art '{kind}'.")
    expires = pairing_expiry(now or now_utc(), _minutes(valid_minutes))
    token = ids.new_secret_token()

    def insert(conn: Connection) -> Device:
        contact_point = directory.scoped_contact_point(conn, scope, contact_point_slug)
        device = devices.insert(
            conn,
            contact_point.id,
            name,
            ids.hash_secret(token),
            expires,
            kind=kind,
            serial_number=serial_number,
            notes=notes,
        )
        # ids only: the label and notes are free text, which the audit log never copies
        record_in(conn, scope.actor, "device_added", f"#{device.id} {KINDS[kind]}")
        return device

    return IssuedPairing(await db.write(insert), token)


async def new_pairing(
    db: Database,
    scope: Scope,
    reference: str | int,
    *,
    valid_minutes: int = PAIRING_MINUTES,
    now: dt.datetime | None = None,
) -> IssuedPairing:
    """Open a new pairing link for a device (replacing an unused one); using it replaces the tablet."""
    expires = pairing_expiry(now or now_utc(), _minutes(valid_minutes))
    token = ids.new_secret_token()

    def change(conn: Connection) -> Device:
        device = scoped_device(conn, scope, reference)
        if device.revoked:
            raise InvalidInput(f"Das Tablet '{device.name}' ist abgemeldet; bitte ein neues anlegen.")
        if not device.pairable:
            raise InvalidInput(
                f"Nur Tablets und Laptops werden gekoppelt, kein Gerät der Art '{device.kind}'."
            )
        devices.open_pairing(conn, device.id, ids.hash_secret(token), expires)
        record_in(conn, scope.actor, "device_pairing_opened", f"#{device.id}")
        found = devices.by_id(conn, device.id)
        assert found is not None
        return found

    return IssuedPairing(await db.write(change), token)


async def pairing_device(db: Database, pairing_token: str, *, now: dt.datetime | None = None) -> Device:
    """Return the device an unused, unexpired pairing link belongs to, without using it up."""
    device = await db.read(lambda conn: devices.by_pairing_hash(conn, ids.hash_secret(pairing_token)))
    moment = now or now_utc()
    if (
        device is None
        or device.pairing_expires_at is None
        or not pairing_open(device.pairing_expires_at, moment)
    ):
        raise NotFound(PAIRING_INVALID)
    return device


async def pair_device(
    db: Database, pairing_token: str, *, now: dt.datetime | None = None
) -> tuple[Device, str]:
    """Use up a pairing link: return the device and its new device token (shown only now)."""
    moment = now or now_utc()
    device_token = ids.new_secret_token()

    def change(conn: Connection) -> Device:
        device = devices.by_pairing_hash(conn, ids.hash_secret(pairing_token))
        if (
            device is None
            or device.pairing_expires_at is None
            or not pairing_open(device.pairing_expires_at, moment)
        ):
            raise NotFound(PAIRING_INVALID)
        devices.pair(conn, device.id, ids.hash_secret(device_token))
        found = devices.by_id(conn, device.id)
        assert found is not None
        return found

    return await db.write(change), device_token


async def device_for_token(db: Database, device_token: str) -> tuple[Device, ContactPoint]:
    """Return a paired, unrevoked device and its contact point; a revoked one gets a clear Unauthorized."""

    def query(conn: Connection) -> tuple[Device, ContactPoint]:
        device = devices.by_token_hash(conn, ids.hash_secret(device_token))
        if device is None:
            raise NotFound(DEVICE_UNKNOWN)
        if device.revoked:
            raise Unauthorized(DEVICE_REVOKED)
        contact_point = contact_points.by_id(conn, device.contact_point_id)
        assert contact_point is not None
        return device, contact_point

    return await db.read(query)


async def note_seen(db: Database, device: Device, *, now: dt.datetime | None = None) -> None:
    """Note that a tablet's kiosk page asked now: written at most once a minute, never emptying caches."""
    moment = now or now_utc()
    if not seen_long_ago(device.last_seen_at, moment):
        return
    earlier = timestamp(moment - dt.timedelta(seconds=SEEN_EVERY_SECONDS))
    await db.write(
        lambda conn: devices.mark_seen(conn, device.id, timestamp(moment), earlier), invalidates_cache=False
    )


async def device_by_token(db: Database, device_token: str) -> Device | None:
    """Return the device (revoked or not) whose token this is, or None."""
    return await db.read(lambda conn: devices.by_token_hash(conn, ids.hash_secret(device_token)))


async def contact_point_of(db: Database, device: Device) -> ContactPoint:
    """Return the contact point a device belongs to."""
    found = await db.read(lambda conn: contact_points.by_id(conn, device.contact_point_id))
    assert found is not None
    return found


async def revoke_device(db: Database, scope: Scope, reference: str | int) -> Device:
    """Revoke a device: its kiosk page and any open pairing link stop working at once."""

    def change(conn: Connection) -> Device:
        device = scoped_device(conn, scope, reference)
        if device.revoked:
            raise InvalidInput(f"Das Tablet '{device.name}' ist schon abgemeldet.")
        devices.revoke(conn, device.id)
        record_in(conn, scope.actor, "device_revoked", f"#{device.id}")
        found = devices.by_id(conn, device.id)
        assert found is not None
        return found

    return await db.write(change)


async def list_devices(
    db: Database, scope: Scope, contact_point_slug: str | None = None
) -> list[tuple[Device, ContactPoint | None]]:
    """Return the devices within the scope (or one contact point's) with their contact points."""

    def query(conn: Connection) -> list[tuple[Device, ContactPoint | None]]:
        contact_point_id = directory.contact_point_id(conn, scope, contact_point_slug)
        points = {c.id: c for c in contact_points.all_(conn)}
        found = devices.all_(conn, contact_point_id)
        return [(d, points.get(d.contact_point_id)) for d in found if scope.allows(d.contact_point_id)]

    return await db.read(query)


async def find_device(db: Database, scope: Scope, reference: str | int) -> Device:
    """Return the device named by id or by its unique name within the scope."""
    return await db.read(lambda conn: scoped_device(conn, scope, reference))


def scoped_device(conn: Connection, scope: Scope, reference: str | int) -> Device:
    """The device named by id or unique name; devices outside the scope are reported like unknown ones."""
    return find_by_reference(
        scope,
        reference,
        by_id=lambda number: devices.by_id(conn, number),
        by_name=lambda name: devices.by_name(
            conn, clean_name(name, "Der Name des Tablets", MAX_DEVICE_NAME_LENGTH)
        ),
        what="Tablet",
        unknown_number=lambda text: NotFound(f"Kein Tablet mit der Nummer {text}."),
        unknown_name=lambda text: NotFound(f"Kein Tablet mit dem Namen '{text}'."),
        ambiguous=lambda text, numbers: InvalidInput(
            f"Mehrere Tablets heißen '{text}' (Nummern {numbers}); bitte die Nummer angeben."
        ),
    )
