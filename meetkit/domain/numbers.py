"""Whole numbers typed by people or sent in requests: ASCII digits only, always within bounds."""

from __future__ import annotations

from meetkit.domain.errors import InvalidInput, NotFound

# Ids are stored as 64-bit integers on both backends; a larger one cannot name anything.
MAX_ID = 2**63 - 1


def is_ascii_number(text: str) -> bool:
    """Whether `text` is a non-empty run of ASCII digits (str.isdigit() also accepts '²' and '١')."""
    return text.isascii() and text.isdigit()


def parse_id(text: str, what: str = "Eintrag") -> int:
    """Return the id in `text`; anything that cannot be a stored id is simply not found."""
    if not is_ascii_number(text) or len(text) > 19 or not 0 < int(text) <= MAX_ID:
        raise NotFound(f"{what} nicht gefunden.")
    return int(text)


def parse_count(text: str, field: str, *, low: int = 0, high: int = 10_000) -> int:
    """Return the whole number in `text` between `low` and `high`, or say what is wrong with it."""
    cleaned = text.strip()
    if not is_ascii_number(cleaned) or len(cleaned) > 9 or not low <= int(cleaned) <= high:
        raise InvalidInput(f"{field}: bitte eine ganze Zahl von {low} bis {high} eingeben.")
    return int(cleaned)
