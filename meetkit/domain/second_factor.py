"""The second factor: TOTP codes from an authenticator app (pyotp) and one-time recovery codes."""

from __future__ import annotations

import hmac
import secrets

import pyotp

from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput

ISSUER = "meetkit"
STEP_SECONDS = 30
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no look-alikes: people type them from paper
RECOVERY_CODE_LENGTH = 12  # 31**12: about 59 bits each

EMPTY_CODE = N_("Bitte geben Sie den Code aus Ihrer Authenticator-App oder einen Wiederherstellungscode ein.")
WRONG_CODE = N_("Der Code stimmt nicht oder wurde schon benutzt. Bitte geben Sie den aktuellen Code ein.")


def new_totp_secret() -> str:
    """Return a new base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, login: str) -> str:
    """Return the `otpauth://` URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=login, issuer_name=ISSUER)


def clean_code(text: str) -> str:
    """Return a typed code without spaces and dashes, lowercase; raise InvalidInput when empty or absurd."""
    cleaned = "".join(ch for ch in text.lower() if ch not in " -")
    if not cleaned:
        raise InvalidInput(EMPTY_CODE)
    if len(cleaned) > 64 or not cleaned.isascii() or not cleaned.isalnum():
        raise InvalidInput(WRONG_CODE)
    return cleaned


def is_totp_code(code: str) -> bool:
    """Whether a cleaned code looks like a six-digit TOTP code (else it may be a recovery code)."""
    return len(code) == 6 and code.isdigit()


def accepted_step(secret: str, code: str, last_step: int, now: float) -> int | None:
    """The time step a TOTP code belongs to (one step of clock drift allowed), if it is newer than `last_step`."""
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if step > last_step and hmac.compare_digest(totp.at(step * STEP_SECONDS), code):
            return step
    return None


def new_recovery_codes() -> list[str]:
    """Return fresh one-time recovery codes, formatted `abcd-efgh-jkmn` for reading."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4)))
    return codes
