"""Look-ups by secret (member codes, leader, device and API tokens, PINs) under the failure budget."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from aiohttp import web

from meetkit.domain.errors import NotFound
from meetkit.domain.failure_budget import SecretKind
from meetkit.services import directory
from meetkit.services.directory import GroupView
from meetkit.services.failure_budget import FailureBudget
from meetkit.web.keys import CLIENT_KEYS, DATABASE, FAILURE_BUDGET, SETTINGS
from meetkit.web.ratelimit import ClientKeys

T = TypeVar("T")
log = logging.getLogger("meetkit.budget")

# The route parameter that carries the secret names its kind (guarded's default).
KIND_OF_PARAMETER = {
    "code": SecretKind.MEMBER_CODE,
    "token": SecretKind.LEADER_TOKEN,
    "device_token": SecretKind.DEVICE_TOKEN,
    "pairing_token": SecretKind.DEVICE_TOKEN,
    "invite_token": SecretKind.INVITATION,
    "guest_token": SecretKind.GUEST_LINK,
    "handover_token": SecretKind.HANDOVER,
}
PRUNE_EVERY_SECONDS = 600.0


async def failure_budget_ctx(app: web.Application) -> AsyncIterator[None]:
    """Keep the failure budget (needs the database) and its client keys; prune old failures now and then."""
    settings = app[SETTINGS]
    app[CLIENT_KEYS] = ClientKeys(settings.secret, settings.trusted_proxies)
    budget = app[FAILURE_BUDGET] = FailureBudget(app[DATABASE])
    pruner = asyncio.create_task(_prune_now_and_then(budget))
    yield
    pruner.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await pruner
    await budget.close()  # failures counted until now survive a restart


async def _prune_now_and_then(budget: FailureBudget) -> None:
    while True:
        try:
            await budget.prune()
        except Exception:
            log.exception("pruning old failed look-ups failed; trying again later")
        await asyncio.sleep(PRUNE_EVERY_SECONDS)


def secret_kind(request: web.Request) -> SecretKind:
    """The kind of secret in this route's path (`{code}`, `{token}`, `{device_token}`, `{pairing_token}`)."""
    for parameter, kind in KIND_OF_PARAMETER.items():
        if parameter in request.match_info:
            return kind
    raise LookupError(f"route {request.match_info.route.name} carries no secret; pass the kind to guarded()")


async def check_budget(request: web.Request, kind: SecretKind) -> str:
    """Refuse this client (429) while its budget for `kind` is used up; return its key for count_failure."""
    client = request.app[CLIENT_KEYS].key_for(request)
    await request.app[FAILURE_BUDGET].check(kind, client)
    return client


async def count_failure(request: web.Request, kind: SecretKind, client: str) -> None:
    """Count one failed look-up of `kind` against the client `check_budget` returned."""
    await request.app[FAILURE_BUDGET].fail(kind, client)


async def guarded(
    request: web.Request, look_up: Callable[[], Awaitable[T]], kind: SecretKind | None = None
) -> T:
    """Run `look_up` unless this client used up its budget (for `kind`, or the route's); a NotFound counts."""
    kind = kind or secret_kind(request)
    client = await check_budget(request, kind)
    try:
        return await look_up()
    except NotFound:
        await count_failure(request, kind, client)
        raise


async def leader_view(request: web.Request) -> GroupView:
    """Return the group behind the `{token}` of a leader route, under the failure budget."""
    db, token = request.app[DATABASE], request.match_info["token"]
    return await guarded(
        request, lambda: directory.group_for_leader_token(db, token), SecretKind.LEADER_TOKEN
    )
