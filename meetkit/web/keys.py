"""Typed keys for the application state."""

from __future__ import annotations

from aiohttp import web

from meetkit.config import Settings
from meetkit.domain.scope import Scope
from meetkit.jitsi.census import CensusPoller
from meetkit.services.attendance import EventIngestor
from meetkit.services.failure_budget import FailureBudget
from meetkit.services.sheet_batches import SheetBatches
from meetkit.services.signin import Current, SignInService
from meetkit.sheets import SheetRenderer
from meetkit.storage.database import Database
from meetkit.web.ratelimit import ClientKeys

SETTINGS = web.AppKey("settings", Settings)
DATABASE = web.AppKey("database", Database)
FAILURE_BUDGET = web.AppKey("failure_budget", FailureBudget)  # failed look-ups by secret (web/lookups.py)
CLIENT_KEYS = web.AppKey("client_keys", ClientKeys)  # who a request's client is for the failure budget
EVENT_INGESTOR = web.AppKey("event_ingestor", EventIngestor)  # webhook batches (web/events.py)
CENSUS_POLLER = web.AppKey("census_poller", CensusPoller)  # only with MEETKIT_CENSUS_URL
SHEET_RENDERER = web.AppKey("sheet_renderer", SheetRenderer)  # PDF worker processes (web/sheets.py)
SHEET_BATCHES = web.AppKey("sheet_batches", SheetBatches)  # staff batches of sheets (web/staff_batches.py)
RETENTION_DELAY = web.AppKey("retention_delay", float)  # seconds to the first purge, if not the default
SIGN_IN = web.AppKey("sign_in", SignInService)  # staff sign-in, sessions and the password hasher
STAFF_SESSION = web.RequestKey("staff_session", Current)  # the request's staff session (web/staff_session.py)
API_SCOPE = web.RequestKey("api_scope", Scope)  # what the request's API token may see (web/api.py)
NEW_FORM_COOKIE = web.RequestKey("new_form_cookie", str)  # a form cookie to set on this response
