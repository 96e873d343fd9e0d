"""Reading JSON request bodies with clear errors."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from meetkit.domain.errors import InvalidInput
from meetkit.domain.jsontext import parse_json
from meetkit.web.bodies import read_request_body

MAX_JSON_BYTES = 64 * 1024


async def read_object(request: web.Request) -> dict[str, Any]:
    """Return the request's JSON object body, or raise InvalidInput saying what is wrong."""
    raw = await read_request_body(request, MAX_JSON_BYTES)
    body = parse_json(raw or b"{}")
    if not isinstance(body, dict):
        raise InvalidInput('Erwartet wird ein JSON-Objekt, z. B. {"name": "..."}.')
    return body


def text_field(body: dict[str, Any], name: str, *, required: bool = True) -> str | None:
    """Return a string field of a JSON body, or raise InvalidInput."""
    value = body.get(name)
    if value is None:
        if required:
            raise InvalidInput(f"Das Feld '{name}' fehlt.")
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"Das Feld '{name}' muss Text sein.")
    return value


def bool_field(body: dict[str, Any], name: str, default: bool) -> bool:
    """Return a boolean field of a JSON body, or raise InvalidInput."""
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise InvalidInput(f"Das Feld '{name}' muss true oder false sein.")
    return value
