"""Per-client limits on failed look-ups, so member codes, tokens and PINs cannot be enumerated."""

from __future__ import annotations

import hashlib
import secrets
import time

from aiohttp import web

from meetkit.domain.errors import RateLimited


class RateLimiter:
    """Counts failures per client in fixed windows, in memory only; clients are keyed by a salted hash."""

    def __init__(self, max_failures: int = 20, window_seconds: float = 600.0) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._salt = secrets.token_bytes(16)  # new per process: the keys mean nothing outside it
        self._window_start = time.monotonic()
        self._failures: dict[bytes, int] = {}

    def client_key(self, request: web.Request) -> bytes:
        """Return a salted hash of the peer address; the address itself is never stored or logged."""
        peer = request.remote or ""  # never stored or logged: only its salted hash is kept in memory
        return hashlib.blake2b(peer.encode(), key=self._salt, digest_size=12).digest()

    def check(self, key: bytes) -> None:
        """Raise RateLimited when this client used up its failures in the current window."""
        self._roll_window()
        if self._failures.get(key, 0) >= self.max_failures:
            raise RateLimited("Zu viele ungültige Versuche. Bitte warten Sie einige Minuten.")

    def fail(self, key: bytes) -> None:
        """Count one failed look-up for this client."""
        self._roll_window()
        self._failures[key] = self._failures.get(key, 0) + 1

    def _roll_window(self) -> None:
        now = time.monotonic()
        if now - self._window_start >= self.window_seconds:
            self._window_start = now
            self._failures.clear()
