"""Reading the body of an answer from Jitsi or Prosody completely, but never more than a limit."""

from __future__ import annotations

import aiohttp


class BodyTooLarge(Exception):
    """The answer is larger than the caller allows; the message says so in words, without the body."""


def size_in_words(limit: int) -> str:
    """Return a byte limit as people write it: `2 MB`, `64 KB`, `512 bytes`."""
    if limit >= 1_000_000 and limit % 1_000_000 == 0:
        return f"{limit // 1_000_000} MB"
    if limit >= 1024 * 1024 and limit % (1024 * 1024) == 0:
        return f"{limit // (1024 * 1024)} MB"
    if limit >= 1024 and limit % 1024 == 0:
        return f"{limit // 1024} KB"
    return f"{limit} bytes"


async def read_body(response: aiohttp.ClientResponse, limit: int) -> bytes:
    """Return the whole body however it arrives (in one piece or many), or raise BodyTooLarge past `limit`."""
    too_large = BodyTooLarge(f"answered with more than {size_in_words(limit)}")
    if response.content_length is not None and response.content_length > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in response.content.iter_any():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)
