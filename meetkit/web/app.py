"""The aiohttp application: state, resources, middlewares and routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType

import aiohttp_jinja2
import fontpkg_atkinson_hyperlegible
from aiohttp import web

from meetkit.config import Settings
from meetkit.rendering import environment
from meetkit.storage.database import database_for
from meetkit.web import (
    api,
    attendance,
    dialin,
    events,
    health,
    kiosk,
    pages,
    privacy,
    schedules,
    sheets,
    staff_admin,
    staff_auth,
    staff_pages,
)
from meetkit.web.accesslog import access_log_flusher
from meetkit.web.errors import error_middleware
from meetkit.web.keys import DATABASE, SETTINGS
from meetkit.web.lookups import failure_budget_ctx
from meetkit.web.openapi import openapi_route
from meetkit.web.retention import retention_ctx
from meetkit.web.security import add_security_headers
from meetkit.web.staff_session import sign_in_ctx, staff_guard

log = logging.getLogger("meetkit")

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
FONT_DIR = fontpkg_atkinson_hyperlegible.ROOT / "files"

# Feature modules: each exposes `routes` (and optionally `openapi_paths`/`openapi_schemas`).
ROUTE_MODULES: list[ModuleType] = [
    health,
    pages,
    privacy,
    api,
    schedules,
    dialin,
    kiosk,
    attendance,
    events,
    sheets,
    staff_auth,
    staff_pages,
    staff_admin,
]


async def database_ctx(app: web.Application) -> AsyncIterator[None]:
    """Open the database (migrating it) for the app's lifetime."""
    db = database_for(app[SETTINGS].database_url)
    await db.open()
    app[DATABASE] = db
    yield
    await db.close()


def create_app(settings: Settings) -> web.Application:
    """Build the application for `settings` (which must carry a secret)."""
    app = web.Application(
        middlewares=[error_middleware, staff_guard, api.require_staff_token], client_max_size=256 * 1024
    )
    app[SETTINGS] = settings
    app[aiohttp_jinja2.APP_KEY] = environment()
    app.cleanup_ctx.append(database_ctx)
    app.cleanup_ctx.append(failure_budget_ctx)  # failed look-ups by secret (needs the database)
    app.cleanup_ctx.append(sign_in_ctx)  # staff sessions and the password hashing thread (needs the database)
    app.cleanup_ctx.append(events.attendance_ctx)  # webhook batches, census poller (needs the database)
    app.cleanup_ctx.append(retention_ctx)  # the daily purge (needs the database)
    app.cleanup_ctx.append(access_log_flusher)
    dialin.setup(app)  # PINs for older groups (needs the database), CORS
    sheets.setup(app)  # PDF worker processes, started by the first PDF
    app.on_response_prepare.append(add_security_headers)
    for module in ROUTE_MODULES:
        app.router.add_routes(module.routes)
    app.router.add_routes(openapi_route(ROUTE_MODULES))
    app.router.add_static("/static/fonts", FONT_DIR, name="fonts")
    app.router.add_static("/static", STATIC_DIR, name="static")
    return app
