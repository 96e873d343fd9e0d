"""Bearer credentials from `Authorization` headers: read without surprises, compared in constant time."""

from __future__ import annotations

import hmac
import re

from aiohttp import web

from meetkit.domain.errors import Unauthorized


def bearer_token(request: web.BaseRequest) -> str | None:
    """Return the token of `Authorization: Bearer <token>`, or None when the header is missing or malformed.

    The scheme is case-insensitive (RFC 9110); the token must be one word of visible ASCII, so bytes that
    are not ASCII (which aiohttp hands over as surrogates) never reach an encoder or a comparison."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip(" \t")
    if scheme.lower() != "bearer" or not token or not _visible_ascii(token):
        return None
    return token


_VISIBLE_ASCII = re.compile(r"[!-~]+")  # one C-level match: this runs for every webhook and PIN look-up


def _visible_ascii(text: str) -> bool:
    return _VISIBLE_ASCII.fullmatch(text) is not None


def same_secret(presented: str | None, expected: str) -> bool:
    """Whether `presented` equals `expected`, compared in constant time; never raises."""
    given = presented.encode("utf-8", "surrogatepass") if presented is not None else b""
    return hmac.compare_digest(given, expected.encode("utf-8", "surrogatepass"))


def require_bearer(request: web.BaseRequest, secret: str, refusal: str) -> None:
    """Raise Unauthorized with `refusal` unless the request carries `Authorization: Bearer <secret>`."""
    if not same_secret(bearer_token(request), secret):
        raise Unauthorized(refusal)
