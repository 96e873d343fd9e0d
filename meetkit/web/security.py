"""Security headers and a strict Content Security Policy on every response."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urlsplit

from aiohttp import web

from meetkit.web.keys import SETTINGS

# Member pages and the calendar feed (/j/), leader pages and sheets (/l/), kiosk and pairing pages (/kiosk):
# they show links, PINs and group names, which a browser must not keep on disk or show from its history.
SECRET_PATHS = ("/j/", "/l/", "/kiosk")


def origin(url: str) -> str:
    """Return the scheme://host[:port] of a URL."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def default_csp(jitsi_url: str) -> str:
    """Return the page CSP: only our own styles, images and fonts; forms post to us (and redirect to Jitsi)."""
    return (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        f"form-action 'self' {origin(jitsi_url)}; frame-ancestors 'none'; base-uri 'none'"
    )


def with_own_scripts(csp: str) -> str:
    """The page CSP that also runs meetkit's own scripts from /static and lets them ask meetkit (staff pages)."""
    return csp.replace("default-src 'none';", "default-src 'none'; script-src 'self'; connect-src 'self';", 1)


@lru_cache(maxsize=8)
def _cached_csp(jitsi_url: str) -> str:
    return default_csp(jitsi_url)


async def add_security_headers(request: web.Request, response: web.StreamResponse) -> None:
    """Set the headers unless a handler chose stricter or different ones (setdefault)."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _cached_csp(request.app[SETTINGS].jitsi_url))
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
    if request.path.startswith(SECRET_PATHS):
        headers["Cache-Control"] = "no-store"  # whatever the handler chose: these must never be kept
    elif request.path.startswith("/static/"):
        headers.setdefault("Cache-Control", "public, max-age=86400")
    else:
        headers.setdefault("Cache-Control", "no-store")
