"""Jitsi counts in: Prosody event_sync webhooks (`POST /jitsi/events/...`) and the room census poller."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import AsyncIterator, Sequence

from aiohttp import web

from meetkit.domain.errors import FeatureDisabled, Unauthorized
from meetkit.domain.failure_budget import SecretKind
from meetkit.jitsi.census import CensusPoller, CensusRoom
from meetkit.jitsi.events import EVENT_KINDS, parse_event
from meetkit.services import attendance
from meetkit.services.attendance import EventIngestor
from meetkit.services.jobs import Lease
from meetkit.web.bearer import bearer_token, same_secret
from meetkit.web.bodies import read_request_body
from meetkit.web.keys import CENSUS_POLLER, DATABASE, EVENT_INGESTOR, SETTINGS
from meetkit.web.lookups import check_budget, count_failure

log = logging.getLogger("meetkit.attendance")

PREFIX = "/jitsi/events/"
MAX_EVENT_BYTES = 256 * 1024  # room/destroyed lists every occupant; a few hundred people fit easily

routes = web.RouteTableDef()
_ANSWERS = {True: b'{"recorded": true}', False: b'{"recorded": false}'}  # encoded once: a hot path


async def check_events_secret(request: web.Request) -> None:
    """Let a webhook in only with `Authorization: Bearer $MEETKIT_EVENTS_SECRET` (compared in constant time)."""
    secret = request.app[SETTINGS].events_secret
    if not secret:
        raise FeatureDisabled("Jitsi-Ereignisse sind nicht eingerichtet (MEETKIT_EVENTS_SECRET fehlt).")
    client = await check_budget(request, SecretKind.EVENTS_SECRET)
    if not same_secret(bearer_token(request), secret):
        await count_failure(request, SecretKind.EVENTS_SECRET, client)
        raise Unauthorized("Falsches oder fehlendes Geheimnis für Jitsi-Ereignisse.")


async def jitsi_event(request: web.Request) -> web.Response:
    """Keep the room, the count and the event time of one webhook; everything else is dropped unread."""
    await check_events_secret(request)
    body = await read_request_body(request, MAX_EVENT_BYTES)
    event = parse_event(request.path.removeprefix(PREFIX), body, int(time.time()))
    recorded = False
    if event is not None:
        recorded = await request.app[EVENT_INGESTOR].submit(event.room, event.observation)
    return web.Response(body=_ANSWERS[recorded], content_type="application/json")


for _path in EVENT_KINDS:
    routes.post(PREFIX + _path, name="jitsi_event_" + _path.replace("/", "_"))(jitsi_event)


async def attendance_ctx(app: web.Application) -> AsyncIterator[None]:
    """Run the webhook batcher and (with MEETKIT_CENSUS_URL) the census poller while the app runs."""
    db, settings = app[DATABASE], app[SETTINGS]
    ingestor = EventIngestor(db)
    app[EVENT_INGESTOR] = ingestor
    task: asyncio.Task[None] | None = None
    if settings.census_url:
        directory = attendance.RoomDirectory()

        async def handle(rooms: Sequence[CensusRoom], at: int) -> None:
            await attendance.ingest_census(db, rooms, at, directory)

        poller = CensusPoller(settings.census_url, settings.census_interval, settings.muc_domain, handle)
        app[CENSUS_POLLER] = poller
        # One process of all that share the database polls this census; another takes over within three
        # intervals. The job is named by a hash of the URL (which may carry a token), never the URL itself.
        job = "census:" + hashlib.sha256(settings.census_url.encode()).hexdigest()[:16]
        lease = Lease(db, job, seconds=3 * settings.census_interval)
        task = asyncio.create_task(poller.run(lease.hold), name="meetkit-census-poller")
        log.info("polling the room census every %g s", settings.census_interval)
    yield
    if task is not None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        with contextlib.suppress(Exception):
            await lease.release()
    await ingestor.close()
    if ingestor.events:
        log.info("webhooks: %d events committed in %d transactions", ingestor.events, ingestor.transactions)
