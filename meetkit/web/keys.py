"""Typed keys for the application state."""

from __future__ import annotations

from aiohttp import web

from meetkit.config import Settings
from meetkit.storage.database import Database
from meetkit.web.ratelimit import RateLimiter

SETTINGS = web.AppKey("settings", Settings)
DATABASE = web.AppKey("database", Database)
LOOKUP_LIMITER = web.AppKey("lookup_limiter", RateLimiter)
PBX_LIMITER = web.AppKey("pbx_limiter", RateLimiter)  # failed PIN look-ups (web/dialin.py)
