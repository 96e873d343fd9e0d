"""Prosody's room census (mod_muc_census): fetching it, parsing it, polling it in the background.

`GET /room-census` answers `{"room_census": [{"room_name": "<room JID>", "participants": N,
"created_time": "<ms>", "leaked": false}, ...]}`. `participants` is occupants minus the focus (it can be -1
for a room with no occupant at all); `created_time` is a string of milliseconds and absent without
mod_conference_duration; an empty census may come as `{}` instead of `[]`. Only rooms in the configured
MUC domain count (lobby and breakout rooms live in other domains). A room whose occupants all lost their
connection (`leaked`) holds nobody.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import NamedTuple

import aiohttp

from meetkit.domain.attendance import MAX_OCCUPANTS
from meetkit.domain.jsontext import InvalidJson, parse_json
from meetkit.domain.numbers import is_ascii_number
from meetkit.jitsi.bodies import BodyTooLarge, read_body, size_in_words

log = logging.getLogger("meetkit.census")

MAX_CENSUS_BYTES = 32 * 1024 * 1024
_MS_PER_SECOND = 1000


class CensusError(Exception):
    """The census could not be read; the message says why in words without any payload."""


class CensusRoom(NamedTuple):
    """One room of the census: its name (JID node), people in it, and when it was created (unix s)."""

    room: str
    occupants: int
    created_at: int | None


def parse_census(body: bytes, muc_domain: str) -> list[CensusRoom]:
    """Parse a census answer; rooms of other domains are left out; raise CensusError for garbage."""
    try:
        payload = parse_json(body)
    except InvalidJson:
        raise CensusError(
            "the answer is not JSON (or too deeply nested, or with numbers out of range)"
        ) from None
    if not isinstance(payload, dict) or "room_census" not in payload:
        raise CensusError("the answer has no room_census")
    entries = payload["room_census"]
    if entries == {}:
        return []
    if not isinstance(entries, list):
        raise CensusError("room_census is not a list")
    suffix = "@" + muc_domain.lower()
    rooms = []
    for entry in entries:
        if not isinstance(entry, dict):
            raise CensusError("a room_census entry is not an object")
        jid, count = entry.get("room_name"), entry.get("participants")
        if not isinstance(jid, str) or isinstance(count, bool) or not isinstance(count, int):
            raise CensusError("a room_census entry lacks room_name or participants")
        node, _, rest = jid.lower().rpartition(suffix)
        if rest or not node or "@" in node:
            continue  # another MUC domain (lobby, breakout) or not a room JID
        occupants = 0 if entry.get("leaked") is True else min(max(count, 0), MAX_OCCUPANTS)
        rooms.append(CensusRoom(node, occupants, _created(entry.get("created_time"))))
    return rooms


def _created(value: object) -> int | None:
    """created_time: a string (or number) of milliseconds, or absent."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and is_ascii_number(value.strip()) and len(value.strip()) <= 18:
        return int(value.strip()) // _MS_PER_SECOND
    if isinstance(value, int | float) and value > 0:
        return int(value) // _MS_PER_SECOND
    return None


CensusHandler = Callable[[list[CensusRoom], int], Awaitable[None]]


class CensusPoller:
    """Polls the census every `interval` seconds and hands the rooms to `handle`; logs per failure streak."""

    def __init__(
        self,
        url: str,
        interval: float,
        muc_domain: str,
        handle: CensusHandler,
        *,
        timeout: float | None = None,
    ) -> None:
        self.url = url
        self._shown_url = url.partition("?")[0]  # a query could carry a secret: never logged
        self.interval = interval
        self.muc_domain = muc_domain
        self.handle = handle
        self.timeout = timeout if timeout is not None else min(10.0, max(interval * 0.8, 0.05))
        self.failures = 0  # length of the current failure streak
        self.polls = 0

    def client_session(self) -> aiohttp.ClientSession:
        """A client session with this poller's time limits."""
        timeout = aiohttp.ClientTimeout(total=self.timeout, connect=min(self.timeout, 5.0))
        return aiohttp.ClientSession(timeout=timeout)

    async def run(self, may_poll: Callable[[], Awaitable[bool]] | None = None) -> None:
        """Poll until cancelled, each time `may_poll` allows (one process of several); a bad census never ends
        the loop."""
        async with self.client_session() as session:
            while True:
                started = time.monotonic()
                if may_poll is None or await self._allowed(may_poll):
                    await self.poll_once(session)
                await asyncio.sleep(max(self.interval - (time.monotonic() - started), 0.0))

    async def _allowed(self, may_poll: Callable[[], Awaitable[bool]]) -> bool:
        try:
            return await may_poll()
        except Exception as error:  # the database is away: try again next interval
            self._failed(f"could not check whose turn it is ({type(error).__name__})")
            return False

    async def poll_once(self, session: aiohttp.ClientSession) -> bool:
        """Fetch and hand on one census; return whether it worked."""
        self.polls += 1
        try:
            rooms = parse_census(await self._fetch(session), self.muc_domain)
            await self.handle(rooms, int(time.time()))
        except CensusError as error:
            self._failed(str(error))
            return False
        except TimeoutError:
            self._failed(f"no answer within {self.timeout:g} s")
            return False
        except aiohttp.ClientConnectionError:
            self._failed("cannot connect")
            return False
        except aiohttp.ClientError as error:
            self._failed(f"request failed ({type(error).__name__})")
            return False
        except Exception as error:  # a failing handler must not stop the poller
            log.debug("census handler failed", exc_info=True)
            self._failed(f"counts could not be saved ({type(error).__name__})")
            return False
        if self.failures:
            log.info("room census at %s answers again after %d failed polls", self._shown_url, self.failures)
            self.failures = 0
        return True

    async def _fetch(self, session: aiohttp.ClientSession) -> bytes:
        async with session.get(self.url, headers={"Accept": "application/json"}) as response:
            if response.status != 200:
                raise CensusError(f"HTTP {response.status}")
            try:
                return await read_body(response, MAX_CENSUS_BYTES)
            except BodyTooLarge:
                raise CensusError(f"the answer is larger than {size_in_words(MAX_CENSUS_BYTES)}") from None

    def _failed(self, reason: str) -> None:
        """Log the first failure of a streak only."""
        self.failures += 1
        if self.failures == 1:
            log.warning(
                "room census at %s failed: %s; retrying every %g s, logging again when it recovers",
                self._shown_url,
                reason,
                self.interval,
            )
