"""Fetch one page for `meetkit check-jitsi`, turning every way a request fails into a plain-words FetchError."""

from __future__ import annotations

import ssl
from dataclasses import dataclass

import aiohttp

from meetkit.jitsi.bodies import BodyTooLarge, read_body

MAX_BODY = 2_000_000  # bytes; Jitsi's config.js is about 100 kB


class FetchError(Exception):
    """A request did not get an answer; the message says why in plain words."""


@dataclass(frozen=True, slots=True)
class Answer:
    """An HTTP answer: status and body."""

    status: int
    body: bytes

    def text(self) -> str:
        """Return the body decoded as UTF-8 (invalid bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")


async def fetch(session: aiohttp.ClientSession, url: str) -> Answer:
    """GET `url` within the session's timeout, reading the whole body up to MAX_BODY bytes, or raise FetchError."""
    try:
        async with session.get(url, allow_redirects=True) as response:
            return Answer(response.status, await read_body(response, MAX_BODY))
    except BodyTooLarge as error:
        raise FetchError(str(error)) from None
    except TimeoutError:
        raise FetchError(f"did not answer within {session.timeout.total:g} seconds") from None
    except aiohttp.ClientConnectorCertificateError as error:
        raise FetchError(f"has a TLS certificate that is not accepted ({error.certificate_error})") from None
    except aiohttp.ClientConnectorError as error:
        reason = error.os_error.strerror or str(error.os_error) or type(error.os_error).__name__
        raise FetchError(f"could not be reached ({reason})") from None
    except (aiohttp.ClientError, ssl.SSLError) as error:
        raise FetchError(f"failed ({type(error).__name__}: {error})") from None
