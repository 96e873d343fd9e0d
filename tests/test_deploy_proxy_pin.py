"""The phone system's PIN look-up is not reachable through the shipped proxies, in any spelling.

Real nginx (both snippets) and real Caddy (deploy/proxy/Caddyfile) run on a loopback port in front of a
stand-in meetkit that records every request it gets. Requests are written byte for byte on a socket, so
no client library normalises `%69d`, `..` or case away. Jitsi's look-up by room must still arrive unchanged.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.pytest_plugin import AiohttpServer

from tests.test_deploy_files import CADDYFILE, NGINX_CUSTOM, NGINX_JITSI_HOST, _tool
from tests.test_deploy_nginx import _free_port, _nginx

MAPPER = "/jitsi/conference-mapper"
ROOM = "k3x9a-p0qzt-mm2ab-7hq1c@muc.meet.jitsi"
# What Jitsi's web client sends (jitsi.md section 2: not URL-encoded); these must reach meetkit unchanged.
JITSI_LOOKUPS = [
    f"{MAPPER}?conference={ROOM}",
    f"{MAPPER}?conference={ROOM}&url=https://meet.example.org/k3x9a-p0qzt-mm2ab-7hq1c",
]
# The PBX's look-up by PIN, spelled every way a parser might still read as `id` (aiohttp decodes %69d to
# id), plus path tricks that normalise to the mapper; none of them may reach meetkit from outside.
PIN_LOOKUPS = [
    f"{MAPPER}?id=1",
    f"{MAPPER}?id=12345678",
    f"{MAPPER}?%69d=1",
    f"{MAPPER}?%69%64=1",
    f"{MAPPER}?%49%44=1",
    f"{MAPPER}?ID=1",
    f"{MAPPER}?Id=1",
    f"{MAPPER}?id[]=1",
    f"{MAPPER}?id%5B%5D=1",
    f"{MAPPER}?x=1&id=1",
    f"{MAPPER}?id",
    f"{MAPPER}?id=",
    f"{MAPPER}?+id=1",
    f"{MAPPER}?id%00=1",
    f"{MAPPER}?&id=1",
    f"{MAPPER}?conference={ROOM}&id=1",
    f"{MAPPER}?id=1&conference={ROOM}",
    f"{MAPPER}?conference={ROOM}&%69d=1",
    f"{MAPPER}?conference={ROOM}&ID=1",
    f"{MAPPER}?conference={ROOM};id=1",
    f"{MAPPER}?conference={ROOM}&url=x;id=1",
    f"{MAPPER}?conference={ROOM}&url=x&id=1",
    f"{MAPPER}?conference={ROOM}&conference={ROOM}",
    f"{MAPPER}",
    f"{MAPPER}/?id=1",
    "/jitsi//conference-mapper?id=1",
    "//jitsi/conference-mapper?%69d=1",
    "/jitsi/./conference-mapper?id=1",
    "/jitsi/conference%2Dmapper?id=1",
    "/JITSI/CONFERENCE-MAPPER?id=1",
    "/j/../jitsi/conference-mapper?id=1",
    "/j/%2e%2e/jitsi/conference-mapper?id=1",
    "/static/../jitsi/conference-mapper?%69d=1",
    "/jitsi/events/../conference-mapper?id=1",
]


async def _raw_get(base_port: int, target: str) -> tuple[int, bytes]:
    """Send one GET with exactly this request target; return the status and the body."""
    reader, writer = await asyncio.open_connection("127.0.0.1", base_port)
    try:
        writer.write(f"GET {target} HTTP/1.1\r\nHost: meet.example.org\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout=5)
    finally:
        writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.fixture
async def backend(aiohttp_server: AiohttpServer) -> AsyncIterator[tuple[int, list[str]]]:
    """A stand-in meetkit that records the raw request target of everything it receives."""
    seen: list[str] = []

    async def record(request: web.Request) -> web.Response:
        seen.append(request.raw_path)
        return web.Response(text="meetkit " + request.raw_path)

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    server = await aiohttp_server(app)
    yield int(server.port or 0), seen


@contextlib.asynccontextmanager
async def _caddy(tmp_path: Path, upstream_port: int) -> AsyncIterator[str]:
    """deploy/proxy/Caddyfile as shipped, on plain HTTP at a loopback port, in front of the stand-in."""
    caddy = _tool("caddy")
    port = _free_port()
    text = CADDYFILE.read_text()
    assert "meetkit.example.org {" in text and "127.0.0.1:8080" in text
    text = text.replace("meetkit.example.org {", f"http://:{port} {{")  # any Host, plain HTTP
    text = text.replace("127.0.0.1:8080", f"127.0.0.1:{upstream_port}")
    config = tmp_path / "Caddyfile"
    config.write_text("{\n\tadmin off\n}\n\n" + text)
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path),
    }
    log = (tmp_path / "caddy.log").open("wb")
    process = await asyncio.create_subprocess_exec(
        caddy, "run", "--config", str(config), "--adapter", "caddyfile", env=env, stdout=log, stderr=log
    )
    try:
        for _ in range(250):
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            assert process.returncode is None, (tmp_path / "caddy.log").read_text()
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        await process.wait()
        log.close()


@contextlib.asynccontextmanager
async def _proxy(name: str, tmp_path: Path, upstream_port: int) -> AsyncIterator[int]:
    """One of the shipped proxy configurations, running; yields its port."""
    if name == "caddy":
        started = _caddy(tmp_path, upstream_port)
    else:
        snippet = NGINX_CUSTOM if name == "nginx-docker" else NGINX_JITSI_HOST
        started = _nginx(tmp_path, snippet, f"http://127.0.0.1:{upstream_port}")
    async with started as base:
        yield int(base.rsplit(":", 1)[1])


@pytest.mark.parametrize("proxy", ["caddy", "nginx-docker", "nginx-debian"])
async def test_only_jitsis_room_look_up_reaches_meetkit(
    tmp_path: Path, backend: tuple[int, list[str]], proxy: str
) -> None:
    upstream_port, seen = backend
    async with _proxy(proxy, tmp_path, upstream_port) as port:
        for target in JITSI_LOOKUPS:
            status, body = await _raw_get(port, target)
            assert status == 200 and body == f"meetkit {target}".encode(), (target, status, body)
        assert seen == JITSI_LOOKUPS  # unchanged, byte for byte
        seen.clear()
        for target in PIN_LOOKUPS:
            status, body = await _raw_get(port, target)  # 404, or Jitsi's own app page for /JITSI/...
            assert not body.startswith(b"meetkit"), (target, status)
        assert seen == [], f"reached meetkit through {proxy}: {seen}"
        # the rest of the mapper's neighbourhood still works as before
        assert (await _raw_get(port, f"/jitsi/dial-in-numbers?conference={ROOM}"))[0] == 200
        assert (await _raw_get(port, "/j/ab12c-de34f"))[0] == 200
        assert seen == [f"/jitsi/dial-in-numbers?conference={ROOM}", "/j/ab12c-de34f"]
