"""Run every `meetkit check-jitsi` check against the configured Jitsi deployment."""

from __future__ import annotations

import asyncio

import aiohttp

from meetkit.config import Settings
from meetkit.jitsi.check_census import census_check, census_not_public_check
from meetkit.jitsi.check_config import config_checks
from meetkit.jitsi.check_report import Check
from meetkit.jitsi.check_tokens import token_checks

DEFAULT_TIMEOUT = 10.0


async def check_jitsi(settings: Settings, seconds: float = DEFAULT_TIMEOUT) -> list[Check]:
    """Run every check against the deployment `settings` describe; network calls time out after `seconds`."""
    client_timeout = aiohttp.ClientTimeout(total=seconds, sock_connect=seconds)
    headers = {"User-Agent": "meetkit check-jitsi"}
    checks: list[Check] = []
    async with aiohttp.ClientSession(timeout=client_timeout, headers=headers) as session:
        config = await config_checks(session, settings, checks)
        checks.append(await census_check(session, settings))
        if config is not None:
            checks.append(await census_not_public_check(session, settings))
    checks.extend(token_checks(settings, config))
    return checks


def run(settings: Settings, seconds: float = DEFAULT_TIMEOUT) -> list[Check]:
    """Run the checks from synchronous code."""
    return asyncio.run(check_jitsi(settings, seconds))
