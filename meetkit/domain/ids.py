"""Random identifiers: room names, member codes, tokens and PINs; hashing of stored secrets."""

from __future__ import annotations

import hashlib
import secrets

ROOM_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
ROOM_GROUPS = 4
ROOM_GROUP_LENGTH = 5  # 20 characters of 36 symbols: about 103 bits

# No 0/o, 1/l/i: codes are typed from paper.
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
CODE_LENGTH = 10  # 31**10: about 49.5 bits, hopeless to guess under a rate limit


def new_room_name() -> str:
    """Return a random Jitsi room name like `k3x9a-p0qzt-mm2ab-7hq1c`, unrelated to any group data."""
    groups = (
        "".join(secrets.choice(ROOM_ALPHABET) for _ in range(ROOM_GROUP_LENGTH)) for _ in range(ROOM_GROUPS)
    )
    return "-".join(groups)


def new_member_code() -> str:
    """Return a random member code of CODE_LENGTH symbols without look-alike characters."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_member_code(code: str) -> str:
    """Split a member code into two halves for reading: `abcde-fghjk`."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def normalize_member_code(text: str) -> str | None:
    """Return the canonical code for what a person typed, or None when it cannot be a code."""
    cleaned = "".join(ch for ch in text.lower() if ch not in "- ")
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def new_secret_token() -> str:
    """Return a long URL-safe token (256 bits) for leader links, devices and API access."""
    return secrets.token_urlsafe(32)


def new_pin(digits: int) -> str:
    """Return a random numeric PIN with `digits` digits and no leading zero."""
    first = secrets.choice("123456789")
    rest = "".join(secrets.choice("0123456789") for _ in range(digits - 1))
    return first + rest


def hash_secret(secret: str) -> str:
    """Return the SHA-256 hex digest under which a high-entropy secret is stored."""
    return hashlib.sha256(secret.encode()).hexdigest()
