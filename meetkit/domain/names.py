"""Cleaning and validating text that people type: names, slugs, phone numbers."""

from __future__ import annotations

import re
import unicodedata

from meetkit.domain.errors import InvalidInput

MAX_NAME_LENGTH = 300
MAX_SLUG_LENGTH = 60
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_PHONE = re.compile(r"^\+?[0-9][0-9 ()/\-]{2,30}$")


def clean_name(text: str, what: str = "Der Name", max_length: int = MAX_NAME_LENGTH) -> str:
    """Return `text` NFC-normalised with collapsed spaces, or raise InvalidInput naming `what`."""
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in text if ch not in " \t"):
        raise InvalidInput(f"{what} enthält Steuerzeichen.")
    cleaned = " ".join(unicodedata.normalize("NFC", text).split())
    if not cleaned:
        raise InvalidInput(f"{what} darf nicht leer sein.")
    if len(cleaned) > max_length:
        raise InvalidInput(f"{what} ist zu lang ({len(cleaned)} Zeichen, höchstens {max_length}).")
    return cleaned


def slugify(name: str) -> str:
    """Return a lowercase ASCII slug for a contact point name (`KISS Nürnberg` -> `kiss-nuernberg`)."""
    ascii_text = unicodedata.normalize("NFKD", name.lower().translate(_TRANSLITERATION))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:MAX_SLUG_LENGTH].strip("-")
    if not slug:
        raise InvalidInput("Aus dem Namen lässt sich keine Kurzbezeichnung bilden; bitte --slug angeben.")
    return slug


def clean_slug(text: str) -> str:
    """Return `text` if it is a valid slug, else raise InvalidInput."""
    if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,58}[a-z0-9])?", text):
        raise InvalidInput("Die Kurzbezeichnung darf nur a-z, 0-9 und Bindestriche enthalten (höchstens 60).")
    return text


def clean_phone(text: str) -> str:
    """Return a plausible phone number as typed, or raise InvalidInput."""
    cleaned = " ".join(text.split())
    if not _PHONE.fullmatch(cleaned):
        raise InvalidInput("Die Telefonnummer darf nur Ziffern, Leerzeichen, +, /, - und Klammern enthalten.")
    return cleaned


def name_key(text: str) -> str:
    """The key a name is searched and sorted by: casefolded, accents removed, spaces collapsed (`Ärger` -> `aerger`)."""
    folded = unicodedata.normalize("NFKD", text.casefold().translate(_TRANSLITERATION))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(plain.split())
