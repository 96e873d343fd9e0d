"""The failure budget's rule: how many failed look-ups by secret a client may make, per kind of secret."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class SecretKind(StrEnum):
    """The kinds of secret looked up; each has a budget of its own (stored as these values)."""

    # The values name kinds of secret, they are no secrets (S105).
    MEMBER_CODE = "member_code"
    LEADER_TOKEN = "leader_token"  # noqa: S105
    DEVICE_TOKEN = "device_token"  # noqa: S105 - kiosk device and pairing tokens
    API_TOKEN = "api_token"  # noqa: S105
    EVENTS_SECRET = "events_secret"  # noqa: S105 - Prosody's event webhooks
    PBX_PIN = "pbx_pin"  # the PBX's PIN look-up (and its bearer secret)
    STAFF_LOGIN = "staff_login"  # staff sign-in (not used yet)
    INVITATION = "invitation"  # a leader's invitation to create the group's link
    GUEST_LINK = "guest_link"  # a guest's link for one meeting date
    HANDOVER = "handover"  # a one-time link that hands a group to a new leader


@dataclass(frozen=True)
class Limit:
    """At most `failures` failed look-ups within any `seconds`."""

    failures: int
    seconds: float


@dataclass(frozen=True)
class Budget:
    """One or more limits that all hold; a client over any of them is refused until it is under all again."""

    limits: tuple[Limit, ...]

    @property
    def longest_window(self) -> float:
        """The longest window: older failures no longer count."""
        return max(limit.seconds for limit in self.limits)

    def blocked_until(self, failure_times: Sequence[float], now: float) -> float | None:
        """When a client with these failures (ascending unix seconds) may try again; None when it may now."""
        # Sliding windows: a limit is used up while `failures` of them lie within the last `seconds`, and it
        # frees up when the oldest of those leaves the window.
        until = None
        for limit in self.limits:
            recent = [t for t in failure_times if t > now - limit.seconds]
            if len(recent) >= limit.failures:
                frees_at = recent[-limit.failures] + limit.seconds
                until = frees_at if until is None else max(until, frees_at)
        return until


def retry_after_seconds(until: float, now: float) -> int:
    """Whole seconds until `until` (at least 1), for a `Retry-After` header."""
    return max(1, math.ceil(until - now))


MINUTE, HOUR = 60.0, 3600.0

BUDGETS: dict[SecretKind, Budget] = {
    # People type member codes from paper: room for typos, none for guessing (31**10 codes).
    SecretKind.MEMBER_CODE: Budget((Limit(20, 10 * MINUTE),)),
    # Tokens are only ever clicked or scanned; a failure is an old link or a guess.
    SecretKind.LEADER_TOKEN: Budget((Limit(20, 10 * MINUTE),)),
    SecretKind.DEVICE_TOKEN: Budget((Limit(20, 10 * MINUTE),)),
    SecretKind.API_TOKEN: Budget((Limit(10, 10 * MINUTE),)),
    SecretKind.EVENTS_SECRET: Budget((Limit(20, 10 * MINUTE),)),
    # One PBX asks for all callers, and its IVR already allows only 3 tries per call: a burst of mistyped
    # PINs must not lock everyone out for long (the minute limit frees up within a minute), while the hour
    # limit caps guessing at 3,600 a day (deploy/phone/README.md has the figures).
    SecretKind.PBX_PIN: Budget((Limit(30, MINUTE), Limit(150, HOUR))),
    SecretKind.STAFF_LOGIN: Budget((Limit(10, 15 * MINUTE),)),
    # Links from a letter, an e-mail or a leader's message: clicked or scanned, rarely typed.
    SecretKind.INVITATION: Budget((Limit(20, 10 * MINUTE),)),
    SecretKind.GUEST_LINK: Budget((Limit(20, 10 * MINUTE),)),
    SecretKind.HANDOVER: Budget((Limit(20, 10 * MINUTE),)),
}

# Failures older than this count for no budget and are deleted.
LONGEST_WINDOW = max(budget.longest_window for budget in BUDGETS.values())
