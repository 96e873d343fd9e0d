"""Secrets meetkit must read back (TOTP keys) are stored sealed: AES-256-GCM under a key from MEETKIT_SECRET.

A copy of the database alone (a backup, a dump, a stolen disk) then yields no second factor. Each sealed value
is bound to what it belongs to (say, "account:12"), so it cannot be moved to another row either.
"""

from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from meetkit.domain.accounts import N_
from meetkit.domain.errors import Unauthorized

SEALED_PREFIX = "sealed1:"
NONCE_BYTES = 12
SEAL_BROKEN = N_(
    "Der zweite Faktor dieses Kontos lässt sich nicht mehr prüfen (der Server-Schlüssel MEETKIT_SECRET wurde "
    "geändert). Bitte lassen Sie Ihr Konto von einem Admin zurücksetzen."
)


class SecretBox:
    """Seals and opens short secrets for one purpose with a key derived from the server's secret."""

    def __init__(self, server_secret: str, purpose: str) -> None:
        key = HKDF(hashes.SHA256(), length=32, salt=None, info=f"meetkit-seal:{purpose}".encode()).derive(
            server_secret.encode()
        )
        self._aead = AESGCM(key)

    def seal(self, plain: str, belongs_to: str) -> str:
        """The stored form of `plain`, readable only with this key and for `belongs_to`."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._aead.encrypt(nonce, plain.encode(), belongs_to.encode())
        return SEALED_PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")

    def open(self, stored: str, belongs_to: str) -> str:
        """The plain secret; values stored before sealing existed are read as they are."""
        if not stored.startswith(SEALED_PREFIX):
            return stored
        raw = base64.urlsafe_b64decode(stored.removeprefix(SEALED_PREFIX))
        try:
            return self._aead.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], belongs_to.encode()).decode()
        except (InvalidTag, ValueError) as error:
            raise Unauthorized(SEAL_BROKEN) from error
