"""Per-client failure limits, also behind a trusted reverse proxy, without trusting spoofed headers."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient

from meetkit.config import load_settings, with_secret
from meetkit.web.app import create_app

Client = TestClient[web.Request, web.Application]


async def _probe(client: Client, real_ip: str, times: int) -> list[int]:
    statuses = []
    for n in range(times):
        code = f"zzzzz-zz{n:03d}".replace("0", "2").replace("1", "3")
        response = await client.get(f"/j/{code}", headers={"X-Real-IP": real_ip})
        statuses.append(response.status)
    return statuses


async def test_behind_a_trusted_proxy_each_client_has_its_own_limit(
    aiohttp_client: object, env: dict[str, str], tmp_path: Path
) -> None:
    settings = with_secret(
        load_settings({**env, "MEETKIT_TRUSTED_PROXIES": "127.0.0.0/8,::1"}, env_file=tmp_path / "x")
    )
    client: Client = await aiohttp_client(create_app(settings))  # type: ignore[operator]
    assert set(await _probe(client, "198.51.100.1", 20)) == {404}
    assert (await _probe(client, "198.51.100.1", 1)) == [429]  # the prober is blocked
    assert (await _probe(client, "198.51.100.2", 1)) == [404]  # everyone else is not


async def test_without_trusted_proxies_the_header_is_ignored(
    aiohttp_client: object, env: dict[str, str], tmp_path: Path
) -> None:
    settings = with_secret(load_settings(env, env_file=tmp_path / "x"))
    client: Client = await aiohttp_client(create_app(settings))  # type: ignore[operator]
    await _probe(client, "198.51.100.1", 20)
    assert (await _probe(client, "198.51.100.99", 1)) == [429]  # a spoofed header does not escape the limit
