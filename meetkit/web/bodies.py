"""Reading a request body completely, however it arrives, but never more than a limit."""

from __future__ import annotations

from aiohttp import web

from meetkit.domain.errors import InvalidInput

MAX_REQUEST_BYTES = 256 * 1024  # aiohttp's client_max_size: the most any form (or upload) may carry


def too_large(limit: int) -> InvalidInput:
    """The error for a body larger than `limit` bytes, in words a person understands."""
    return InvalidInput(f"Der Inhalt ist zu groß (höchstens {limit // 1024} KB).")


async def read_request_body(request: web.BaseRequest, limit: int) -> bytes:
    """Return the whole body (with or without Content-Length, in one piece or many), or raise InvalidInput."""
    if request.content_length is not None and request.content_length > limit:
        raise too_large(limit)
    chunks, size = [], 0
    async for chunk in request.content.iter_any():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)
