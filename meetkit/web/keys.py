"""Typed keys for the application state."""

from __future__ import annotations

from aiohttp import web

from meetkit.config import Settings
from meetkit.jitsi.census import CensusPoller
from meetkit.services.attendance import EventIngestor
from meetkit.sheets import SheetRenderer
from meetkit.storage.database import Database
from meetkit.web.ratelimit import RateLimiter

SETTINGS = web.AppKey("settings", Settings)
DATABASE = web.AppKey("database", Database)
LOOKUP_LIMITER = web.AppKey("lookup_limiter", RateLimiter)
PBX_LIMITER = web.AppKey("pbx_limiter", RateLimiter)  # failed PIN look-ups (web/dialin.py)
EVENT_INGESTOR = web.AppKey("event_ingestor", EventIngestor)  # webhook batches (web/events.py)
CENSUS_POLLER = web.AppKey("census_poller", CensusPoller)  # only with MEETKIT_CENSUS_URL
SHEET_RENDERER = web.AppKey("sheet_renderer", SheetRenderer)  # PDF worker processes (web/sheets.py)
