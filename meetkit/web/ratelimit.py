"""Who a request's client is for the failure budget: a keyed hash of its address, never the address."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import socket
from collections.abc import Iterable

from aiohttp import web

log = logging.getLogger("meetkit.budget")

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
KEY_PURPOSE = b"meetkit failure budget client key v1"
IPV6_GROUP_BITS = 64  # one IPv6 customer usually holds a whole /64: count it as one client
IPV4_MAPPED_PREFIX = bytes(10) + b"\xff\xff"  # ::ffff:a.b.c.d is the IPv4 client a.b.c.d


def client_address(text: str) -> bytes:
    """The part of an address that names one client, tagged: an IPv4 address or an IPv6 address's /64."""
    try:
        return b"4" + socket.inet_pton(socket.AF_INET, text)  # inet_pton: a tenth of ipaddress's cost
    except OSError:
        pass
    try:
        packed = socket.inet_pton(socket.AF_INET6, text)
    except OSError:
        return b"?" + text.encode()  # not an IP address (a Unix socket): the peer as it is
    if packed.startswith(IPV4_MAPPED_PREFIX):
        return b"4" + packed[len(IPV4_MAPPED_PREFIX) :]
    return b"6" + packed[: IPV6_GROUP_BITS // 8]


class ClientKeys:
    """Client keys: hashes keyed with MEETKIT_SECRET (all processes agree), proxy headers only from trusted ones."""

    def __init__(self, secret: str, trusted_proxies: Iterable[Network] = ()) -> None:
        self._key = hmac.digest(secret.encode(), KEY_PURPOSE, hashlib.sha256)
        self.trusted_proxies = tuple(trusted_proxies)
        self._warned = False

    def key_for(self, request: web.Request) -> str:
        """Return the keyed hash of this request's client (hex); the address itself is never kept or logged."""
        peer = request.remote or ""
        if self.trusted_proxies and self._is_trusted(peer):
            peer = request.headers.get("X-Real-IP", peer)
        elif not self._warned and ("X-Real-IP" in request.headers or "X-Forwarded-For" in request.headers):
            self._warn_untrusted_proxy()
        return hashlib.blake2b(client_address(peer), key=self._key, digest_size=16).hexdigest()

    def _is_trusted(self, peer: str) -> bool:
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self.trusted_proxies)

    def _warn_untrusted_proxy(self) -> None:
        self._warned = True
        log.warning(
            "requests arrive with X-Real-IP or X-Forwarded-For from a peer not in MEETKIT_TRUSTED_PROXIES: "
            "the header is ignored, so every visitor behind that proxy shares one failure budget "
            "(docs/deploy.md, 'Visitor addresses'); this is said once per process"
        )
