"""Kiosk tablets: a device record and the rules of its one-time pairing link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PAIRING_MINUTES = 60  # default lifetime of a pairing link
MAX_PAIRING_MINUTES = 7 * 24 * 60
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


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


def pairing_open(expires_at: str, now: dt.datetime) -> bool:
    """Whether a pairing link with this stored expiry still works at `now`."""
    return timestamp(now) < expires_at
