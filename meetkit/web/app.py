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
    api_devices,
    attendance,
    dialin,
    events,
    group_tablet,
    guest_links,
    health,
    invitations,
    kiosk,
    leader,
    pages,
    practice,
    privacy,
    schedules,
    sheets,
    staff_admin,
    staff_api_tokens,
    staff_auth,
    staff_batches,
    staff_group_page,
    staff_groups,
    staff_import,
    staff_inventory,
    staff_invitations,
    staff_loan_report,
    staff_loans,
    staff_pages,
    staff_reports,
    staff_schedule,
    staff_settings,
    staff_tablets,
)
from meetkit.web.accesslog import access_log_flusher
from meetkit.web.bodies import MAX_REQUEST_BYTES
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
    practice,  # the practice room (issue 15)
    privacy,
    api,
    schedules,
    dialin,
    kiosk,
    api_devices,
    attendance,
    events,
    sheets,
    staff_auth,
    staff_pages,
    staff_admin,
    invitations,
    leader,
    guest_links,
    staff_invitations,
    staff_loan_report,  # before staff_loans: /staff/loans/report is no loan number
    staff_loans,
    staff_inventory,
    group_tablet,
    staff_groups,
    staff_group_page,
    staff_schedule,
    staff_settings,
    # the staff desk (issue 11, second half): import, sheet batches, tablets, reports, tokens
    staff_import,
    staff_batches,
    staff_tablets,
    staff_reports,
    staff_api_tokens,
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
        middlewares=[error_middleware, staff_guard, api.require_staff_token],
        client_max_size=MAX_REQUEST_BYTES,
    )
    app[SETTINGS] = settings
    app[aiohttp_jinja2.APP_KEY] = environment()
    app.cleanup_ctx.append(database_ctx)
    app.cleanup_ctx.append(failure_budget_ctx)  # failed look-ups by secret (needs the database)
    app.cleanup_ctx.append(sign_in_ctx)  # staff sessions and the password hashing thread (needs the database)
    app.cleanup_ctx.append(events.attendance_ctx)  # webhook batches, census poller (needs the database)
    app.cleanup_ctx.append(retention_ctx)  # the daily purge (needs the database)
    app.cleanup_ctx.append(access_log_flusher)
    app.cleanup_ctx.append(
        staff_groups.name_keys_ctx
    )  # search keys of groups from before 0013 (needs the database)
    dialin.setup(app)  # PINs for older groups (needs the database), CORS
    sheets.setup(app)  # PDF worker processes, started by the first PDF
    staff_batches.setup(app)  # staff batches of sheets (needs the database and the sheet renderer)
    app.on_response_prepare.append(add_security_headers)
    for module in ROUTE_MODULES:
        app.router.add_routes(module.routes)
    app.router.add_routes(openapi_route(ROUTE_MODULES))
    app.router.add_static("/static/fonts", FONT_DIR, name="fonts")
    app.router.add_static("/static", STATIC_DIR, name="static")
    return app
