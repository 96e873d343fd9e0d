"""The practice room of a contact point: an always-open Jitsi room whose name can never be a group's room."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

from meetkit.domain.ids import ROOM_ALPHABET, ROOM_GROUP_LENGTH, ROOM_GROUPS

PRACTICE_PREFIX = "uebungsraum"  # 11 letters: a group room's first part has exactly ROOM_GROUP_LENGTH (5)
GROUP_ROOM_NAME = re.compile(
    rf"[{ROOM_ALPHABET}]{{{ROOM_GROUP_LENGTH}}}(?:-[{ROOM_ALPHABET}]{{{ROOM_GROUP_LENGTH}}}){{{ROOM_GROUPS - 1}}}"
)


def practice_room_name(secret: str, slug: str) -> str:
    """The contact point's practice room, e.g. `uebungsraum-k3x9ap0qztmm2ab7`: keyed, so not made from the slug."""
    digest = hmac.new(secret.encode(), b"practice-room\x00" + slug.encode(), hashlib.sha256).digest()
    return f"{PRACTICE_PREFIX}-{base64.b32encode(digest[:10]).decode().lower()}"


def is_group_room_name(name: str) -> bool:
    """True for names of the shape every group room has (`k3x9a-p0qzt-mm2ab-7hq1c`)."""
    return GROUP_ROOM_NAME.fullmatch(name) is not None
