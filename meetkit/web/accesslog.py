"""An access log that names the route, never the path: no IPs, user agents, referrers, queries or secrets."""

from __future__ import annotations

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger


class PrivacyAccessLogger(AbstractAccessLogger):
    """Logs `METHOD route_name status duration` and nothing that identifies a person or a link."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        """Write one line for a finished request."""
        route = None
        match_info = getattr(request, "match_info", None)
        if match_info is not None and match_info.route is not None:
            route = match_info.route.name
        self.logger.info(
            "%s %s %d %.1fms", request.method, route or "unmatched", response.status, time * 1000
        )
