"""Per-client limits on failed look-ups, so member codes, tokens and PINs cannot be enumerated."""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import time
from collections.abc import Iterable

from aiohttp import web

from meetkit.domain.errors import RateLimited


class RateLimiter:
    """Counts failures per client in fixed windows, in memory only; clients are keyed by a salted hash."""

    def __init__(
        self,
        max_failures: int = 20,
        window_seconds: float = 600.0,
        trusted_proxies: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network] = (),
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self.trusted_proxies = tuple(trusted_proxies)
        self._salt = secrets.token_bytes(16)  # new per process: the keys mean nothing outside it
        self._window_start = time.monotonic()
        self._failures: dict[bytes, int] = {}

    def client_key(self, request: web.Request) -> bytes:
        """Return a salted hash of the client's address; the address itself is never stored or logged.

        Behind a reverse proxy listed in MEETKIT_TRUSTED_PROXIES, the client is the proxy's X-Real-IP."""
        peer = request.remote or ""  # never stored or logged: only its salted hash is kept in memory
        if self.trusted_proxies and self._is_trusted(peer):
            peer = request.headers.get("X-Real-IP", peer)  # never stored or logged either
        return hashlib.blake2b(peer.encode(), key=self._salt, digest_size=12).digest()

    def _is_trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.trusted_proxies)

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
