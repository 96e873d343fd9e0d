"""Choosing the page language: `?lang=`, else the browser's Accept-Language, else German."""

from __future__ import annotations

from aiohttp import web

from meetkit.rendering import DEFAULT_LANGUAGE, LANGUAGES


def request_language(request: web.Request) -> str:
    """Return 'de' or 'en' for this request."""
    asked = request.query.get("lang")
    if asked in LANGUAGES:
        return asked
    return accept_language(request.headers.get("Accept-Language", ""))


def accept_language(header: str) -> str:
    """Return the supported language the Accept-Language header prefers most."""
    best, best_q = DEFAULT_LANGUAGE, 0.0
    for part in header.split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in LANGUAGES:
            continue
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                continue
        if q > best_q:
            best, best_q = primary, q
    return best
