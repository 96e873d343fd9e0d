"""`meetkit serve`: run the web service."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from aiohttp import web

from meetkit.config import Settings
from meetkit.web.accesslog import PrivacyAccessLogger
from meetkit.web.app import create_app

log = logging.getLogger("meetkit")


class WithholdRequestDetails(logging.Filter):
    """aiohttp's server log names the client's IP and quotes malformed request lines (paths, queries, PINs).

    Keep only the kind of error, e.g. `LineTooLong`, for records of the `aiohttp.server` logger.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it."""
        error = record.exc_info[1] if record.exc_info else None
        kind = type(error).__name__ if error is not None else "error"
        record.msg, record.args = "%s while handling a request (details withheld)", (kind,)
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def register(subparsers: Any) -> None:
    """Add the `serve` command."""
    parser = subparsers.add_parser("serve", help="run the service (creates/migrates the database)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    parser.set_defaults(handler=serve, needs_database=False)


def serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run the service until interrupted."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiohttp.server").addFilter(WithholdRequestDetails())
    for warning in settings.startup_warnings():
        log.warning(warning)
    log.info("meetkit on http://%s:%d (public URL %s)", args.host, args.port, settings.public_url)
    web.run_app(
        create_app(settings),
        host=args.host,
        port=args.port,
        access_log_class=PrivacyAccessLogger,
        access_log=logging.getLogger("meetkit.access"),
        print=None,
    )
    return 0
