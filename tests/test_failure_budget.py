"""The failure budget from outside: sliding windows, Retry-After, kinds, /64s, the PBX, several processes."""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import Settings
from meetkit.domain.failure_budget import BUDGETS, SecretKind
from meetkit.storage import failures
from meetkit.web.app import create_app
from meetkit.web.keys import FAILURE_BUDGET
from tests import dbtools
from tests.conftest import BASE_ENV, SeededGroup

Client = TestClient[web.Request, web.Application]
PBX = {"Authorization": f"Bearer {BASE_ENV['MEETKIT_PBX_SECRET']}"}
MEMBER_CODES = BUDGETS[SecretKind.MEMBER_CODE].limits[0]  # 20 in 10 minutes
PBX_MINUTE, PBX_HOUR = BUDGETS[SecretKind.PBX_PIN].limits


class Clock:
    """A clock the test moves by hand (unix seconds)."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(client: Client) -> Clock:
    """The budget's clock of the `client` app, under the test's control."""
    fake = Clock()
    client.app[FAILURE_BUDGET].clock = fake
    return fake


async def app_on(aiohttp_client: Any, settings: Settings, clock: Clock) -> Client:
    """Another app instance on the same data dir (database and secret), with the given clock."""
    other: Client = await aiohttp_client(create_app(settings))
    other.app[FAILURE_BUDGET].clock = clock
    return other


def wrong_code(n: int) -> str:
    """A well-formed member code that no group has (the alphabet has no 0 or 1)."""
    return "/j/zzzzz-" + f"{n:05d}".replace("0", "x").replace("1", "y")


async def wrong_codes(client: Client, times: int, headers: dict[str, str] | None = None) -> list[int]:
    """Statuses of `times` look-ups of unknown member codes."""
    return [(await client.get(wrong_code(n), headers=headers)).status for n in range(times)]


async def wrong_pins(client: Client, group: SeededGroup, times: int) -> list[int]:
    """Statuses of `times` PBX look-ups of PINs that no group has."""
    statuses = []
    for n in range(times):
        guess = str(10_000_000 + n)
        assert guess != group.pin
        statuses.append((await client.get(f"/jitsi/conference-mapper?id={guess}", headers=PBX)).status)
    return statuses


async def test_a_burst_across_a_window_boundary_gets_no_extra_guesses(
    client: Client, group: SeededGroup, clock: Clock
) -> None:
    """A fixed window let 40 guesses through in seconds around its end; a sliding one never more than 20."""
    assert await wrong_codes(client, 10) == [404] * 10
    clock.advance(MEMBER_CODES.seconds - 5)  # just before a fixed window would start afresh
    assert await wrong_codes(client, 10) == [404] * 10
    clock.advance(4)  # the first ten are still inside the last ten minutes
    assert await wrong_codes(client, 1) == [429]
    assert (await client.get(group.member_path)).status == 429  # right codes wait too
    clock.advance(1.001)  # now the first ten have left the window: ten more, and no more
    assert await wrong_codes(client, 11) == [404] * 10 + [429]


async def test_every_429_says_when_to_try_again(client: Client, group: SeededGroup, clock: Clock) -> None:
    await wrong_codes(client, MEMBER_CODES.failures)
    clock.advance(100)
    blocked = await client.get(group.member_path)
    assert blocked.status == 429 and "Zu viele" in await blocked.text()
    assert blocked.headers["Retry-After"] == str(int(MEMBER_CODES.seconds) - 100)
    clock.advance(MEMBER_CODES.seconds - 100)  # when Retry-After has passed, the right code works again
    assert (await client.get(group.member_path)).status == 200


async def test_the_api_says_when_to_try_again_too(client: Client, clock: Clock) -> None:
    api = BUDGETS[SecretKind.API_TOKEN].limits[0]
    wrong = {"Authorization": "Bearer mk_wrong"}
    for _ in range(api.failures):
        assert (await client.get("/api/v1/groups", headers=wrong)).status == 401
    clock.advance(0.5)
    blocked = await client.get("/api/v1/groups", headers=wrong)
    assert blocked.status == 429 and "error" in await blocked.json()
    assert blocked.headers["Retry-After"] == str(int(api.seconds))  # 599.5 s, rounded up


async def test_each_kind_of_secret_has_its_own_budget(
    client: Client, group: SeededGroup, clock: Clock, api_token: str
) -> None:
    await wrong_codes(client, MEMBER_CODES.failures)
    assert (await client.get(group.member_path)).status == 429
    # Mistyped member codes do not keep the same household from its leader link, the API or a kiosk.
    assert (await client.get(f"/l/{group.leader_token}")).status == 200
    assert (await client.get("/l/not-a-leader-token")).status == 404
    bearer = {"Authorization": f"Bearer {api_token}"}
    assert (await client.get("/api/v1/groups", headers=bearer)).status == 200
    assert (await client.get("/kiosk/not-a-device-token")).status == 404
    assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)).status == 200


async def test_leader_tokens_use_up_only_their_own_budget(
    client: Client, group: SeededGroup, clock: Clock
) -> None:
    leader = BUDGETS[SecretKind.LEADER_TOKEN].limits[0]
    for _ in range(leader.failures):
        assert (await client.get("/l/not-a-leader-token")).status == 404
    assert (await client.get(f"/l/{group.leader_token}")).status == 429
    assert (await client.get(group.member_path)).status == 200


async def test_an_ipv6_client_is_counted_per_64(
    aiohttp_client: Any, settings: Settings, group: SeededGroup
) -> None:
    """Anyone holds a whole /64: new addresses in it are the same client; other /64s and IPv4s are not."""
    trusted = (ipaddress.ip_network("127.0.0.0/8"),)
    client: Client = await aiohttp_client(create_app(replace(settings, trusted_proxies=trusted)))
    for n in range(MEMBER_CODES.failures):
        response = await client.get(wrong_code(n), headers={"X-Real-IP": f"2001:db8:1:2::{n + 1:x}"})
        assert response.status == 404
    same_64 = {"X-Real-IP": "2001:db8:1:2:ffff:ffff:ffff:fffe"}
    assert (await client.get(group.member_path, headers=same_64)).status == 429
    assert (await client.get(group.member_path, headers={"X-Real-IP": "2001:db8:1:3::1"})).status == 200
    # IPv4 stays per address
    for n in range(MEMBER_CODES.failures):
        assert (await client.get(wrong_code(n), headers={"X-Real-IP": "198.51.100.1"})).status == 404
    assert (await client.get(group.member_path, headers={"X-Real-IP": "198.51.100.1"})).status == 429
    assert (await client.get(group.member_path, headers={"X-Real-IP": "198.51.100.2"})).status == 200


async def test_a_burst_of_wrong_pins_blocks_the_pbx_for_a_minute_at_most(
    client: Client, group: SeededGroup, clock: Clock
) -> None:
    """The PBX asks for every caller: a burst of mistyped PINs must not cut off the phone for ten minutes."""
    statuses = await wrong_pins(client, group, PBX_MINUTE.failures + 10)
    assert statuses == [404] * PBX_MINUTE.failures + [429] * 10
    blocked = await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)
    assert blocked.status == 429 and int(blocked.headers["Retry-After"]) <= PBX_MINUTE.seconds
    clock.advance(PBX_MINUTE.seconds)
    answer = await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)
    assert answer.status == 200 and (await answer.json())["conference"].startswith(group.room + "@")


async def test_the_pbx_takes_twenty_wrong_pins_a_minute_while_right_pins_resolve(
    client: Client, group: SeededGroup, clock: Clock
) -> None:
    """Twenty wrong PINs a minute for seven minutes (140; the old budget was 60 in ten minutes) never block."""
    minutes = PBX_HOUR.failures // 20
    for _ in range(minutes):
        assert await wrong_pins(client, group, 20) == [404] * 20
        assert (await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)).status == 200
        clock.advance(PBX_MINUTE.seconds)
    # The hour limit caps guessing: then the PBX waits until the first of those failures is an hour old.
    statuses = await wrong_pins(client, group, PBX_HOUR.failures - 20 * minutes + 1)
    assert statuses[-2:] == [404, 429]
    blocked = await client.get(f"/jitsi/conference-mapper?id={group.pin}", headers=PBX)
    assert int(blocked.headers["Retry-After"]) == PBX_HOUR.seconds - minutes * PBX_MINUTE.seconds


async def test_failures_on_one_instance_count_on_the_other(
    aiohttp_client: Any, settings: Settings, client: Client, group: SeededGroup, clock: Clock
) -> None:
    other = await app_on(aiohttp_client, settings, clock)
    half = MEMBER_CODES.failures // 2
    assert await wrong_codes(client, half) == [404] * half
    assert await wrong_codes(other, MEMBER_CODES.failures - half) == [404] * (MEMBER_CODES.failures - half)
    assert (await other.get(group.member_path)).status == 429
    # Blocked by the other's last failure as soon as this process hears of it (PostgreSQL: a NOTIFY).
    for _ in range(400):
        if (await client.get(group.member_path)).status == 429:
            break
        await asyncio.sleep(0.005)
    else:
        raise AssertionError("the block never reached the other process")
    clock.advance(MEMBER_CODES.seconds)
    assert (await client.get(group.member_path)).status == 200


async def test_a_restart_keeps_the_budget(
    aiohttp_client: Any, settings: Settings, client: Client, group: SeededGroup, clock: Clock
) -> None:
    assert await wrong_codes(client, MEMBER_CODES.failures - 1) == [404] * (MEMBER_CODES.failures - 1)
    await client.close()  # the server stops
    clock.advance(60)
    restarted = await app_on(aiohttp_client, settings, clock)
    assert await wrong_codes(restarted, 2) == [404, 429]
    assert (await restarted.get(group.member_path)).headers["Retry-After"] == str(
        int(MEMBER_CODES.seconds) - 60
    )


async def test_checks_come_from_the_read_cache(
    client: Client, group: SeededGroup, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hot path asks the database for blocked clients once per commit that empties the cache, not per
    request (on SQLite any commit does, through `PRAGMA data_version`, also one made with
    `invalidates_cache=False`)."""
    reads: list[float] = []
    real = failures.active_blocks

    def counting(conn: Any, now: float) -> list[tuple[str, str, float]]:
        reads.append(now)
        return real(conn, now)

    monkeypatch.setattr(failures, "active_blocks", counting)
    for _ in range(50):
        assert (await client.get(group.member_path)).status == 200
    assert len(reads) <= 1
    await wrong_codes(client, 3)
    after_failures = len(reads)
    for _ in range(50):
        assert (await client.get(group.member_path)).status == 200
    assert len(reads) <= after_failures + 1


async def test_the_database_holds_keyed_hashes_and_no_address(
    client: Client, group: SeededGroup, settings: Settings, clock: Clock
) -> None:
    await wrong_codes(client, MEMBER_CODES.failures)
    rows = [
        (r["kind"], r["client"]) for r in dbtools.rows(settings, "SELECT kind, client FROM lookup_failures")
    ]
    blocks = [
        (r["kind"], r["client"]) for r in dbtools.rows(settings, "SELECT kind, client FROM lookup_blocks")
    ]
    assert {row[0] for row in rows} == {"member_code"} and len(rows) == MEMBER_CODES.failures
    assert blocks == [rows[0]]
    assert all("127.0.0.1" not in client_key and len(client_key) == 32 for _, client_key in rows)


def warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The failure budget's warnings so far."""
    return [r for r in caplog.records if r.name == "meetkit.budget" and r.levelno == logging.WARNING]


@pytest.mark.parametrize("header", ["X-Real-IP", "X-Forwarded-For"])
async def test_proxy_headers_from_an_untrusted_peer_are_warned_about_once(
    client: Client, group: SeededGroup, caplog: pytest.LogCaptureFixture, header: str
) -> None:
    caplog.set_level(logging.INFO)
    await client.get(group.member_path)
    assert warnings(caplog) == []
    for n in range(3):
        await client.get(group.member_path, headers={header: f"203.0.113.{n}"})
    [warning] = warnings(caplog)
    text = warning.getMessage()
    assert "MEETKIT_TRUSTED_PROXIES" in text and "203.0.113" not in text and "127.0.0.1" not in text


async def test_proxy_headers_from_a_trusted_proxy_are_not_warned_about(
    aiohttp_client: Callable[..., Any], settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    trusted = (ipaddress.ip_network("127.0.0.0/8"),)
    client: Client = await aiohttp_client(create_app(replace(settings, trusted_proxies=trusted)))
    await client.get(wrong_code(1), headers={"X-Real-IP": "203.0.113.9"})
    assert warnings(caplog) == []
