"""A contact point's devices (kiosk tablets among them): the record, its kind and texts, pairing rules."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from meetkit.domain.errors import InvalidInput

PAIRING_MINUTES = 60  # default lifetime of a pairing link
MAX_PAIRING_MINUTES = 7 * 24 * 60
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
SEEN_EVERY_SECONDS = 60  # a kiosk's "last seen" is written at most this often
# The kinds of device in an inventory, with their German names (translated where they are shown).
KINDS: dict[str, str] = {
    "tablet": "Tablet",
    "laptop": "Laptop",
    "speaker": "Lautsprecher",
    "camera": "Kamera",
    "microphone": "Mikrofon",
    "other": "Sonstiges",
}
PAIRABLE_KINDS = frozenset({"tablet", "laptop"})  # devices with a browser: kiosk or group's tablet
MAX_SERIAL_LENGTH = 40
MAX_NOTES_LENGTH = 1000
# Serial numbers as manufacturers print them: letters, digits, - / . _, with at least one digit (so that a
# person's name or an e-mail address is never taken for one).
_SERIAL = re.compile(r"[A-Za-z0-9][A-Za-z0-9./_-]*")


@dataclass(frozen=True, slots=True)
class Device:
    """A contact point's tablet as stored (its tokens only as hashes, never here)."""

    id: int
    contact_point_id: int
    name: str
    paired_at: str | None
    pairing_expires_at: str | None
    revoked: bool
    revoked_at: str | None
    created_at: str
    kind: str = "tablet"
    serial_number: str | None = None
    notes: str | None = None
    last_seen_at: str | None = None  # when the kiosk page last asked (written at most once a minute)

    @property
    def pairable(self) -> bool:
        """Whether this kind of device can be paired (it has a browser)."""
        return self.kind in PAIRABLE_KINDS

    def status(self, now: dt.datetime) -> str:
        """One of "revoked", "paired", "pairing" (link open) or "unpaired" (link used up or expired)."""
        if self.revoked:
            return "revoked"
        if self.pairing_expires_at is not None and pairing_open(self.pairing_expires_at, now):
            return "pairing"
        return "paired" if self.paired_at else "unpaired"


def timestamp(moment: dt.datetime) -> str:
    """The stored form of an aware moment: UTC, seconds, Z."""
    return moment.astimezone(dt.UTC).strftime(TIMESTAMP_FORMAT)


def pairing_expiry(now: dt.datetime, minutes: int) -> str:
    """The stored expiry of a pairing link made at `now`."""
    return timestamp(now + dt.timedelta(minutes=minutes))


def seen_long_ago(last_seen_at: str | None, now: dt.datetime) -> bool:
    """Whether a tablet's "last seen" is worth writing again (at most once a minute)."""
    return last_seen_at is None or last_seen_at <= timestamp(now - dt.timedelta(seconds=SEEN_EVERY_SECONDS))


def pairing_open(expires_at: str, now: dt.datetime) -> bool:
    """Whether a pairing link with this stored expiry still works at `now`."""
    return timestamp(now) < expires_at


def clean_kind(text: str) -> str:
    """One of KINDS, or InvalidInput naming them."""
    kind = text.strip().lower()
    if kind not in KINDS:
        raise InvalidInput(f"Die Art des Geräts muss eine von diesen sein: {', '.join(KINDS)}.")
    return kind


def clean_serial(text: str | None) -> str | None:
    """A serial number as printed on the device (None when empty), or InvalidInput."""
    value = (text or "").strip()
    if not value:
        return None
    if (
        len(value) > MAX_SERIAL_LENGTH
        or not value.isascii()
        or not _SERIAL.fullmatch(value)
        or not any(ch.isdigit() for ch in value)
    ):
        raise InvalidInput(
            f"Die Seriennummer darf nur Buchstaben, Ziffern und . / _ - enthalten, muss mindestens eine Ziffer "
            f"haben und höchstens {MAX_SERIAL_LENGTH} Zeichen lang sein."
        )
    return value


def clean_notes(text: str | None, what: str = "Die Notiz") -> str | None:
    """Free text that staff write (None when empty): line breaks kept, other control characters refused."""
    value = unicodedata.normalize("NFC", (text or "").replace("\r\n", "\n")).strip()
    if not value:
        return None
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in value if ch not in "\n\t"):
        raise InvalidInput(f"{what} enthält Steuerzeichen.")
    if len(value) > MAX_NOTES_LENGTH:
        raise InvalidInput(f"{what} ist zu lang ({len(value)} Zeichen, höchstens {MAX_NOTES_LENGTH}).")
    return value
