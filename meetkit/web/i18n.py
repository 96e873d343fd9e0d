"""Choosing the page language: `?lang=`, else the browser's Accept-Language, else German.

`?lang=ls` asks for Leichte Sprache (German in easy words). A page that has such texts opts in with
`request_language(request, easy_read=True)`; its messages without an easy-read entry show in German. Every
other page answers `?lang=ls` in German.
"""

from __future__ import annotations

from aiohttp import web

from meetkit.rendering import DEFAULT_LANGUAGE, EASY_READ, LANGUAGES


def request_language(request: web.Request, *, easy_read: bool = False) -> str:
    """Return 'de' or 'en' for this request, or 'ls' where the page has Leichte Sprache and it is asked for."""
    asked = request.query.get("lang")
    if asked == EASY_READ:
        return EASY_READ if easy_read else DEFAULT_LANGUAGE
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
