"""Where attendance counts come from (census, events, leader, kiosk, staff), as bits of a meeting's sources."""

from __future__ import annotations

from meetkit.domain.errors import InvalidInput

SOURCES: dict[str, int] = {"census": 1, "events": 2, "leader": 4, "kiosk": 8, "staff": 16}
HEADCOUNT_SOURCES = ("leader", "kiosk", "staff")


def source_bit(name: str) -> int:
    """Return the bit of a source name, or raise InvalidInput."""
    try:
        return SOURCES[name]
    except KeyError:
        raise InvalidInput(f"Unbekannte Quelle '{name}'.") from None


def source_names(bits: int) -> list[str]:
    """Return the source names in a bit set, in a fixed order."""
    return [name for name, bit in SOURCES.items() if bits & bit]
