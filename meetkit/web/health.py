"""Liveness: `GET /healthz`."""

from __future__ import annotations

from aiohttp import web

import meetkit
from meetkit.web.keys import DATABASE

routes = web.RouteTableDef()


@routes.get("/healthz", name="healthz")
async def healthz(request: web.Request) -> web.Response:
    """Answer `{"status": "ok"}` when the database answers."""
    await request.app[DATABASE].read(lambda conn: conn.execute("SELECT 1").fetchone())
    return web.json_response({"status": "ok", "version": meetkit.__version__})
