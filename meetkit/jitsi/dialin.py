"""Jitsi's dial-in formats: conference JIDs and PINs as requested, and the JSON answers Jitsi and a PBX expect.

Requests (jitsi.md section 2; the Jitsi web client does not URL-encode):
    GET <dialInConfCodeUrl>?conference=<room>@<hosts.muc>&url=<page URL>   -> conference_answer(...)
    GET <dialInNumbersUrl>?conference=<room>@<hosts.muc>                    -> numbers_answer(...)
    GET <dialInConfCodeUrl>?id=<PIN>  (PBX, with its bearer secret)         -> conference_answer(...)
An unknown room or PIN gets `not_found_answer()`; every other refusal is meetkit's `{"error": "..."}`.
Messages never repeat the PIN or room that was asked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from meetkit.config import DialInNumber
from meetkit.domain.errors import InvalidInput

# What a room node can look like after Jitsi made it backend-safe (lowercased encodeURIComponent output).
# Anything else (spaces, unicode, '@', '/', ...) cannot come from a Jitsi client and is refused as malformed.
_ROOM_NODE = re.compile(r"[a-z0-9._~%!*'()-]{1,200}")
_MUC_DOMAIN = re.compile(r"[a-z0-9.-]{1,253}")
# PINs are 6 to 12 digits (the range of MEETKIT_PIN_DIGITS), so PINs issued under an earlier setting keep
# working after the setting changes. ASCII digits only: str.isdigit() would accept '١٢٣' and '²'.
PIN_PATTERN = re.compile(r"[1-9][0-9]{5,11}")
MAX_PARAMETER_LENGTH = 460  # a room node of 200, '@', a MUC domain of 253, with room to spare

FOUND_MESSAGE = "Einwahl-PIN gefunden."
NOT_FOUND_MESSAGE = "Zu dieser Angabe gibt es keinen Gruppenraum."


def single_parameter(values: Sequence[str], name: str) -> str:
    """Return the one value of a query parameter, refusing empty, repeated and overlong values."""
    if len(values) != 1:
        raise InvalidInput(f"Der Parameter '{name}' muss genau einmal angegeben sein.")
    value = values[0]
    if not value:
        raise InvalidInput(f"Der Parameter '{name}' ist leer.")
    if len(value) > MAX_PARAMETER_LENGTH:
        raise InvalidInput(f"Der Parameter '{name}' ist zu lang.")
    return value


def parse_conference(value: str, muc_domain: str) -> str:
    """Return the lowercased room node of `room@muc`, or raise InvalidInput for a malformed JID or another MUC."""
    room, at, muc = value.partition("@")
    room, muc = room.lower(), muc.lower()
    if not at or "@" in muc or not _ROOM_NODE.fullmatch(room) or not _MUC_DOMAIN.fullmatch(muc):
        raise InvalidInput("'conference' muss die Form raum@konferenz-domain haben.")
    if muc != muc_domain.lower():
        raise InvalidInput(
            "Die Konferenz-Domain gehört nicht zu diesem Jitsi: "
            "JITSI_MUC_DOMAIN in meetkit und hosts.muc in Jitsis config.js müssen gleich sein."
        )
    return room


def parse_pin(value: str) -> str:
    """Return the PIN if it is 6 to 12 ASCII digits without a leading zero, else raise InvalidInput."""
    if not PIN_PATTERN.fullmatch(value):
        raise InvalidInput("'id' muss eine PIN aus 6 bis 12 Ziffern sein.")
    return value


def conference_jid(room: str, muc_domain: str) -> str:
    """Return the room JID as Jitsi uses it: `room@muc.meet.jitsi`, lowercased."""
    return f"{room.lower()}@{muc_domain.lower()}"


def conference_answer(pin: str, room: str, muc_domain: str) -> dict[str, object]:
    """Return the mapper's answer for a known room: the PIN as a JSON number and the room JID."""
    return {"message": FOUND_MESSAGE, "id": int(pin), "conference": conference_jid(room, muc_domain)}


def not_found_answer() -> dict[str, object]:
    """Return the answer for an unknown room or PIN: falsy `id`/`conference`, nothing about other rooms."""
    return {"error": NOT_FOUND_MESSAGE, "message": NOT_FOUND_MESSAGE, "id": False, "conference": False}


def numbers_answer(numbers: Iterable[DialInNumber]) -> list[dict[str, object]]:
    """Return Jitsi's current numbers format; the first number is the default one."""
    return [
        {
            "countryCode": number.country_code,
            "tollFree": number.toll_free,
            "formattedNumber": number.number,
            "default": index == 0,
        }
        for index, number in enumerate(numbers)
    ]
