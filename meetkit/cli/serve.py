"""`meetkit serve`: run the web service."""

from __future__ import annotations

import argparse
import logging
from typing import Any

from aiohttp import web

from meetkit.cli.common import CommandError
from meetkit.cli.workers import MAX_WORKERS, supervise
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
    parser.add_argument(
        "--workers", type=int, default=1, help="processes sharing the port (default 1; at most 64)"
    )
    parser.set_defaults(handler=serve, needs_database=False)


def serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run the service until interrupted: in this process, or in `--workers` processes sharing the port."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiohttp.server").addFilter(WithholdRequestDetails())
    if not 1 <= args.workers <= MAX_WORKERS:
        raise CommandError(f"--workers: bitte eine Zahl von 1 bis {MAX_WORKERS} angeben.")
    for warning in settings.startup_warnings():
        log.warning(warning)
    log.info("meetkit on http://%s:%d (public URL %s)", args.host, args.port, settings.public_url)
    if args.workers == 1:
        run_worker(settings, args.host, args.port, reuse_port=False)
        return 0
    return supervise(args.workers, lambda: run_worker(settings, args.host, args.port, reuse_port=True))


def run_worker(settings: Settings, host: str, port: int, *, reuse_port: bool) -> None:
    """Serve the app in this process until SIGINT/SIGTERM."""
    web.run_app(
        create_app(settings),
        host=host,
        port=port,
        reuse_port=reuse_port or None,
        access_log_class=PrivacyAccessLogger,
        access_log=logging.getLogger("meetkit.access"),
        print=None,
    )
