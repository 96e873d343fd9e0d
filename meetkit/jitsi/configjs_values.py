"""JavaScript values as the config.js reader sees them: UNKNOWN and MISSING, truthiness, members, strings."""

from __future__ import annotations

from typing import Any


class _Marker:
    """A value the reader could not determine (UNKNOWN) or a key that is not set (MISSING)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


UNKNOWN: Any = _Marker("UNKNOWN")
MISSING: Any = _Marker("MISSING")


class Stop(Exception):
    """The script would throw here in a browser."""


def truthy(value: Any) -> Any:
    """Whether JavaScript treats `value` as true (UNKNOWN if the value is unknown)."""
    if value is UNKNOWN:
        return UNKNOWN
    if value is MISSING or value is None:
        return False
    if isinstance(value, dict | list):
        return True
    return bool(value)


def member_of(value: Any, key: str) -> Any:
    """Read `value.key` as a browser would; reading a key of undefined or null raises Stop."""
    if value is UNKNOWN:
        return UNKNOWN
    if isinstance(value, dict):
        return value.get(key, MISSING)
    if isinstance(value, str | list) and key == "length":
        return len(value)
    if value is MISSING or value is None:
        raise Stop(f"reading '{key}' of undefined")
    return MISSING


def js_str(value: Any) -> str:
    """The value as JavaScript writes it in a string (true, 3, 2.5)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
