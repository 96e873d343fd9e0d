"""Typed keys for the application state."""

from __future__ import annotations

from aiohttp import web

from meetkit.config import Settings
from meetkit.jitsi.census import CensusPoller
from meetkit.services.attendance import EventIngestor
from meetkit.services.failure_budget import FailureBudget
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
