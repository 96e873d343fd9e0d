"""Look-ups by secret (member codes, leader and device tokens) under the per-visitor failure limit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiohttp import web

from meetkit.domain.errors import NotFound
from meetkit.services import directory
from meetkit.services.directory import GroupView
from meetkit.web.keys import DATABASE, LOOKUP_LIMITER

T = TypeVar("T")


async def guarded(request: web.Request, look_up: Callable[[], Awaitable[T]]) -> T:
    """Run `look_up` unless this visitor used up its failures; a NotFound counts as one."""
    limiter = request.app[LOOKUP_LIMITER]
    key = limiter.client_key(request)
    limiter.check(key)
    try:
        return await look_up()
    except NotFound:
        limiter.fail(key)
        raise


async def leader_view(request: web.Request) -> GroupView:
    """Return the group behind the `{token}` of a leader route, under the failure limit."""
    db, token = request.app[DATABASE], request.match_info["token"]
    return await guarded(request, lambda: directory.group_for_leader_token(db, token))
