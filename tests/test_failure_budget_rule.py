"""The failure budget's pure rule, client addresses, and its storage (pruning, blocks that only grow)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from meetkit.domain.failure_budget import (
    BUDGETS,
    LONGEST_WINDOW,
    Budget,
    Limit,
    SecretKind,
    retry_after_seconds,
)
from meetkit.services.failure_budget import FailureBudget
from meetkit.storage import failures
from meetkit.storage.sqlite import SqliteDatabase as Database
from meetkit.web.ratelimit import client_address

TEN_MINUTES = Budget((Limit(3, 600),))


def test_a_client_is_blocked_while_the_window_holds_the_limit() -> None:
    assert TEN_MINUTES.blocked_until([100, 200], now=300) is None
    assert TEN_MINUTES.blocked_until([100, 200, 300], now=300) == 700  # until the oldest of the three leaves
    assert TEN_MINUTES.blocked_until([0, 100, 200, 300], now=300) == 700  # the oldest one counts no more
    assert TEN_MINUTES.blocked_until([100, 200, 300], now=700) is None


def test_every_limit_of_a_budget_holds() -> None:
    pbx = Budget((Limit(2, 60), Limit(3, 3600)))
    assert pbx.blocked_until([0, 100], now=100) is None
    assert pbx.blocked_until([0, 100, 101], now=101) == 3600  # the hour's limit, though the minute's is fine
    assert pbx.blocked_until([3000, 3001], now=3001) == 3060
    assert pbx.longest_window == 3600


def test_retry_after_is_whole_seconds_rounded_up_and_at_least_one() -> None:
    assert retry_after_seconds(700, 100.2) == 600
    assert retry_after_seconds(700, 699.99) == 1
    assert retry_after_seconds(700, 700) == 1


def test_every_kind_has_a_budget_and_the_pbx_a_short_first_window() -> None:
    assert set(BUDGETS) == set(SecretKind)
    assert BUDGETS[SecretKind.PBX_PIN].limits[0].seconds <= 60
    assert LONGEST_WINDOW == 3600


def test_ipv6_addresses_count_per_64_and_ipv4_per_address() -> None:
    assert client_address("2001:db8:1:2::1") == client_address("2001:db8:1:2:ffff::9")
    assert client_address("2001:db8:1:2::1") != client_address("2001:db8:1:3::1")
    assert client_address("198.51.100.1") != client_address("198.51.100.2")
    assert client_address("::ffff:198.51.100.1") == client_address("198.51.100.1")
    assert client_address("unix-socket") == b"?unix-socket"
    assert client_address("?abcd") != client_address("97.98.99.100")  # no text hashes like an address


def test_stored_times_sort_as_text_like_numbers() -> None:
    times = [9.5, 10.0, 1_800_000_000.000001, 1_800_000_000.25]
    assert sorted(failures.stamp(t) for t in times) == [failures.stamp(t) for t in times]
    assert failures.seconds_of(failures.stamp(1_800_000_000.25)) == 1_800_000_000.25


async def test_old_failures_and_ended_blocks_are_pruned(tmp_path: Path) -> None:
    db = Database(tmp_path / "meetkit.db")
    await db.open()
    try:
        now = 1_800_000_000.0
        await db.write(lambda c: failures.add_failures(c, [("member_code", "a", now - LONGEST_WINDOW - 1)]))
        await db.write(lambda c: failures.add_failures(c, [("member_code", "a", now - 10)]))
        await db.write(lambda c: failures.block(c, "member_code", "a", now - 1))
        await db.write(lambda c: failures.block(c, "pbx_pin", "b", now + 60))
        assert await FailureBudget(db, clock=lambda: now).prune() == 2
        assert await db.read(lambda c: failures.failure_times(c, "member_code", "a", 0)) == [now - 10]
        assert await db.read(lambda c: failures.active_blocks(c, 0)) == [("pbx_pin", "b", now + 60)]
    finally:
        await db.close()


async def test_a_block_is_only_ever_made_longer(tmp_path: Path) -> None:
    db = Database(tmp_path / "meetkit.db")
    await db.open()
    try:
        await db.write(lambda c: failures.block(c, "pbx_pin", "b", 500))
        await db.write(lambda c: failures.block(c, "pbx_pin", "b", 400))
        assert await db.read(lambda c: failures.active_blocks(c, 0)) == [("pbx_pin", "b", 500)]
        await db.write(lambda c: failures.block(c, "pbx_pin", "b", 600))
        assert await db.read(lambda c: failures.active_blocks(c, 0)) == [("pbx_pin", "b", 600)]
    finally:
        await db.close()


async def test_failures_arriving_together_share_one_transaction(tmp_path: Path) -> None:
    db = Database(tmp_path / "meetkit.db")
    await db.open()
    writes = 0
    real_write = db.write

    async def counting_write(*args: object, **kwargs: object) -> object:
        nonlocal writes
        writes += 1
        return await real_write(*args, **kwargs)  # type: ignore[arg-type]

    db.write = counting_write  # type: ignore[method-assign]
    try:
        budget = FailureBudget(db, clock=lambda: 1_800_000_000.0)
        await asyncio.gather(*(budget.fail(SecretKind.MEMBER_CODE, f"client-{n}") for n in range(50)))
        assert writes <= 2  # the first alone, the other 49 together
        times = await db.read(lambda c: failures.failure_times(c, "member_code", "client-49", 0))
        assert times == [1_800_000_000.0]
    finally:
        await budget.close()
        await db.close()
