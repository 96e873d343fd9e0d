"""The nginx snippets route requests as promised, run in a real nginx in front of a stand-in meetkit.

The server block around the snippet copies the parts of docker-jitsi-meet's meet.conf that compete for
the same URLs (static files, room names, tenants). The upstream is a small aiohttp app standing in for
meetkit; nothing here talks to a real Jitsi.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest
from aiohttp import web
from aiohttp.pytest_plugin import AiohttpServer

from tests.test_deploy_files import NGINX_CUSTOM, NGINX_JITSI_HOST, _nginx_config, _tool


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _standin_meetkit(request: web.Request) -> web.Response:
    forwarded = {h: request.headers[h] for h in ("X-Forwarded-For", "X-Real-IP") if h in request.headers}
    return web.Response(text=f"meetkit {request.method} {request.path_qs} forwarded={forwarded}")


@contextlib.asynccontextmanager
async def _nginx(tmp_path: Path, snippet: Path, upstream: str) -> AsyncIterator[str]:
    nginx = _tool("nginx")
    port = _free_port()
    conf = _nginx_config(tmp_path, snippet, upstream)
    conf.write_text(conf.read_text().replace("PORT", str(port)))
    process = await asyncio.create_subprocess_exec(
        nginx, "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "error.log")
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                _, writer = await asyncio.open_connection("127.0.0.1", port)
                writer.close()
                break
            await asyncio.sleep(0.02)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        await process.wait()


@pytest.mark.parametrize("snippet", [NGINX_CUSTOM, NGINX_JITSI_HOST], ids=["docker", "debian"])
async def test_nginx_routes_public_meetkit_paths_and_keeps_jitsis(
    tmp_path: Path, aiohttp_server: AiohttpServer, snippet: Path
) -> None:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", _standin_meetkit)
    upstream = await aiohttp_server(app)
    expected = {
        "/j/ab12cd": "meetkit GET /j/ab12cd",
        "/l/leadertoken": "meetkit GET /l/leadertoken",
        "/kiosk/devicetoken": "meetkit GET /kiosk/devicetoken",
        "/static/sheet.css": "meetkit GET /static/sheet.css",
        "/jitsi/conference-mapper?conference=room@muc.meet.jitsi": (
            "meetkit GET /jitsi/conference-mapper?conference=room@muc.meet.jitsi"
        ),
        "/jitsi/dial-in-numbers?conference=room@muc.meet.jitsi": (
            "meetkit GET /jitsi/dial-in-numbers?conference=room@muc.meet.jitsi"
        ),
        # Jitsi keeps its own files, rooms and tenants
        "/static/dialInInfo.html": "jitsi dial-in page",
        "/someroom": "jitsi app",
        "/config.js": "var config = {};",
    }
    async with (
        _nginx(tmp_path, snippet, f"http://127.0.0.1:{upstream.port}") as base,
        aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session,
    ):
        for path, body in expected.items():
            spoofed = {"X-Forwarded-For": "198.51.100.7", "X-Real-IP": "198.51.100.8"}
            async with session.get(base + path, headers=spoofed) as response:
                text = await response.text()
                assert response.status == 200, (path, text)
                assert text.strip().startswith(body), (path, text)
                if text.startswith("meetkit"):
                    # only nginx's own view of the visitor (for meetkit's per-visitor failure limit)
                    assert text.endswith("forwarded={'X-Real-IP': '127.0.0.1'}"), text
        async with session.post(base + "/l/leadertoken/start") as response:
            assert (
                await response.text()
                == "meetkit POST /l/leadertoken/start forwarded={'X-Real-IP': '127.0.0.1'}"
            )
        # the phone system's look-up by PIN stays internal
        for query in ("?id=12345678", "?conference=room@muc.meet.jitsi&id=12345678"):
            async with session.get(base + "/jitsi/conference-mapper" + query) as response:
                assert response.status == 404, query
                assert not (await response.text()).startswith("meetkit"), query
        # internal routes are not published
        for path in ("/jitsi/events/room/created", "/jitsi/events/occupant/joined"):
            async with session.post(base + path, json={"room_name": "x"}) as response:
                assert response.status == 404, path
    log = (tmp_path / "access.log").read_text()
    assert "/someroom" in log, "the access log works for Jitsi's own paths"
    for secret in ("ab12cd", "leadertoken", "devicetoken", "conference-mapper", "dial-in-numbers", "events"):
        assert secret not in log, f"{secret} in nginx's access log"
