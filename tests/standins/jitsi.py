"""A stand-in for a Jitsi Meet deployment in tests: NOT Jitsi, a small aiohttp app on 127.0.0.1.

It answers what a test sets on its `StandinJitsi` state, read at request time, so one running server can
play a good and then a broken deployment:

- `GET /config.js`: `config_js` (default: what docker-jitsi-meet would serve with deploy/'s
  custom-config.js appended), with `config_status`;
- `GET /room-census`: Prosody's mod_muc_census answer `census` (JSON-encoded unless it is a str, 404
  when None), with `census_status`;
- `GET /external_api.js`: a tiny script defining `JitsiMeetExternalAPI`, when `serve_external_api`;
- every answer waits `delay` seconds first (for timeout tests);
- with `chunk_size`, config.js and the census are sent in pieces of that many bytes, `chunk_pause` seconds
  apart (chunked transfer encoding), as a slow link or a proxy would deliver them.

`running(state)` serves it from a background thread, so that synchronous code (a CLI run, a subprocess)
can talk to it. Formats follow ../shared/jitsi.md; nothing here was compared with a live Jitsi.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web

CUSTOM_CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "jitsi" / "web" / "custom-config.js"

# The part of docker-jitsi-meet's generated config.js that matters here (web/rootfs/defaults/
# system-config.js and settings-config.js with ENABLE_AUTH=1, ENABLE_GUESTS=1, SSI already applied).
GENERATED_CONFIG_JS = """// Jitsi Meet configuration.
var config = {};

if (!config.hasOwnProperty('hosts')) config.hosts = {};

config.hosts.domain = 'meet.jitsi';
config.focusUserJid = 'focus@auth.meet.jitsi';

var subdir = '';
var subdomain = "";
if (subdir.startsWith('<!--')) {
    subdir = '';
}
if (subdomain) {
    subdomain = subdomain.substring(0,subdomain.length-1).split('.').join('_').toLowerCase() + '.';
}
config.hosts.muc = 'muc.' + subdomain + 'meet.jitsi';
// When using authentication, domain for guest users.
config.hosts.anonymousdomain = 'guest.meet.jitsi';
// Domain for authenticated users. Defaults to <domain>.
config.hosts.authdomain = 'meet.jitsi';
config.bosh = '/http-bind';
config.websocket = 'wss://meet.example.org/' + subdir + 'xmpp-websocket';

if (!config.hasOwnProperty('p2p')) config.p2p = {};
config.p2p.enabled = true;
config.p2p.stunServers = [
    { urls: 'stun:meet-jit-si-turnrelay.jitsi.net:443' }
];
if (!config.hasOwnProperty('analytics')) config.analytics = {};
config.analytics.rtcstatsEnabled = false;
config.disableThirdPartyRequests = false;
config.enableWelcomePage = true;
config.disableDeepLinking = false;
"""

# Jitsi's own config.js is about 100 kB, most of it comments on options that are switched off.
_COMMENTED_OPTION = (
    "    // config.{name} = undefined; // an option of jitsi-meet's config.js, left at its default\n"
)


def real_size_config_js(public_url: str, size: int = 100_000) -> str:
    """good_config_js() behind a block of commented-out options, so that it is as large as Jitsi's own."""
    good = good_config_js(public_url)
    lines = ["// Options documented in jitsi-meet's config.js (commented out, as shipped):\n"]
    while sum(map(len, lines)) + len(good) < size:
        lines.append(_COMMENTED_OPTION.format(name=f"option{len(lines)}"))
    return "".join(lines) + good


EXTERNAL_API_JS = "function JitsiMeetExternalAPI(domain, options) { this.domain = domain; }\n"


def good_config_js(public_url: str) -> str:
    """The config.js of a deployment set up as docs/deploy.md says, meetkit at `public_url`."""
    custom = CUSTOM_CONFIG.read_text().replace("https://meet.example.org", public_url.rstrip("/"))
    return GENERATED_CONFIG_JS + "\n" + custom


def census_of(*rooms: tuple[str, int]) -> dict[str, Any]:
    """A room census as mod_muc_census returns it, for (room JID, participants) pairs."""
    return {
        "room_census": [
            {"room_name": jid, "participants": count, "created_time": "1767225600000", "leaked": False}
            for jid, count in rooms
        ]
    }


@dataclass
class StandinJitsi:
    """What the stand-in answers; change fields between requests."""

    config_js: str = field(default_factory=lambda: good_config_js("https://meet.example.org"))
    config_status: int = 200
    census: Any = None
    census_status: int = 200
    serve_external_api: bool = False
    delay: float = 0.0
    chunk_size: int | None = None
    chunk_pause: float = 0.0
    requests: list[str] = field(default_factory=list)


def create_app(state: StandinJitsi) -> web.Application:
    """Return the stand-in app answering from `state`."""
    routes = web.RouteTableDef()

    async def pause(request: web.Request) -> None:
        state.requests.append(request.path)
        if state.delay:
            await asyncio.sleep(state.delay)

    async def answer(request: web.Request, body: str, status: int, content_type: str) -> web.StreamResponse:
        if state.chunk_size is None:
            return web.Response(text=body, status=status, content_type=content_type)
        response = web.StreamResponse(status=status, headers={"Content-Type": content_type})
        response.enable_chunked_encoding()
        await response.prepare(request)
        data = body.encode()
        for start in range(0, len(data), state.chunk_size):
            await response.write(data[start : start + state.chunk_size])
            await asyncio.sleep(state.chunk_pause)
        await response.write_eof()
        return response

    @routes.get("/config.js")
    async def config_js(request: web.Request) -> web.StreamResponse:
        await pause(request)
        return await answer(request, state.config_js, state.config_status, "application/javascript")

    @routes.get("/room-census")
    async def room_census(request: web.Request) -> web.StreamResponse:
        await pause(request)
        if state.census is None:
            return web.Response(text="<html>Jitsi Meet</html>", status=404, content_type="text/html")
        body = state.census if isinstance(state.census, str) else json.dumps(state.census)
        return await answer(request, body, state.census_status, "application/json")

    @routes.get("/external_api.js")
    async def external_api(request: web.Request) -> web.Response:
        await pause(request)
        if not state.serve_external_api:
            raise web.HTTPNotFound()
        return web.Response(text=EXTERNAL_API_JS, content_type="application/javascript")

    app = web.Application()
    app.add_routes(routes)
    return app


@contextmanager
def running(state: StandinJitsi) -> Iterator[str]:
    """Serve the stand-in on a free 127.0.0.1 port from a background thread; yields its base URL."""
    loop = asyncio.new_event_loop()
    started = threading.Event()
    box: dict[str, Any] = {}

    async def start() -> None:
        runner = web.AppRunner(create_app(state), shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        box["runner"] = runner
        box["port"] = runner.addresses[0][1]

    async def stop() -> None:
        await box["runner"].cleanup()
        pending = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in pending:  # handlers still sleeping in `delay`
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    def serve() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(start())
        except BaseException as error:  # surface start failures in the calling thread
            box["error"] = error
        started.set()
        if "error" not in box:
            loop.run_forever()

    thread = threading.Thread(target=serve, name="standin-jitsi", daemon=True)
    thread.start()
    started.wait(10)
    if "error" in box:
        raise box["error"]
    try:
        yield f"http://127.0.0.1:{box['port']}"
    finally:
        asyncio.run_coroutine_threadsafe(stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
