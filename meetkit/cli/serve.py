"""`meetkit serve`: run the web service."""

from __future__ import annotations

import argparse
import importlib
import logging
from typing import Any

from meetkit.cli.common import CommandError
from meetkit.cli.language import _, translate_message
from meetkit.config import Settings

log = logging.getLogger("meetkit")
DEFAULT_HOST, DEFAULT_PORT = "127.0.0.1", 8080
DEFAULT_PUBLIC_URL = Settings().public_url


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
    parser = subparsers.add_parser(
        "serve", help=_("den Dienst starten (legt die Datenbank an oder bringt sie auf den neuesten Stand)")
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=_("Adresse, auf der meetkit lauscht (Vorgabe: 127.0.0.1)")
    )
    parser.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help=_("Port, auf dem meetkit lauscht (Vorgabe: 8080)")
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help=_("Prozesse, die sich den Port teilen (Vorgabe 1, höchstens 64)"),
    )
    parser.set_defaults(handler=serve, needs_database=False, creates_database=True)


def serve(args: argparse.Namespace, settings: Settings) -> int:
    """Run the service until interrupted: in this process, or in `--workers` processes sharing the port."""
    from meetkit.cli.workers import MAX_WORKERS, supervise

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiohttp.server").addFilter(WithholdRequestDetails())
    if not 1 <= args.workers <= MAX_WORKERS:
        raise CommandError(_("--workers: bitte eine Zahl von 1 bis {most} angeben.").format(most=MAX_WORKERS))
    for warning in [*settings.startup_warnings(), *public_url_warnings(settings, args.host, args.port)]:
        log.warning(translate_message(warning))
    log.info(
        _("meetkit läuft auf http://{host}:{port} (öffentliche Adresse {public_url})").format(
            host=args.host, port=args.port, public_url=settings.public_url
        )
    )
    if args.workers == 1:
        run_worker(settings, args.host, args.port, reuse_port=False)
        return 0
    importlib.import_module("meetkit.web.app")  # once, before forking: the workers share what it loads
    return supervise(args.workers, lambda: run_worker(settings, args.host, args.port, reuse_port=True))


def run_worker(settings: Settings, host: str, port: int, *, reuse_port: bool) -> None:
    """Serve the app in this process until SIGINT/SIGTERM."""
    from aiohttp import web

    from meetkit.web.accesslog import PrivacyAccessLogger
    from meetkit.web.app import create_app

    web.run_app(
        create_app(settings),
        host=host,
        port=port,
        reuse_port=reuse_port or None,
        access_log_class=PrivacyAccessLogger,
        access_log=logging.getLogger("meetkit.access"),
        print=None,
    )


def public_url_warnings(settings: Settings, host: str, port: int) -> list[str]:
    """Warn when links and QR codes keep the default address although meetkit listens elsewhere."""
    if settings.public_url != DEFAULT_PUBLIC_URL or (host, port) == (DEFAULT_HOST, DEFAULT_PORT):
        return []
    return [
        _(
            "MEETKIT_PUBLIC_URL ist nicht gesetzt: Links und QR-Codes zeigen auf {public_url}, meetkit "
            "lauscht aber auf {host}:{port}. Bitte die Adresse setzen, unter der Mitglieder meetkit "
            "erreichen, in der Umgebung oder in .env, z. B. MEETKIT_PUBLIC_URL=https://treffen.example.org"
        ).format(public_url=settings.public_url, host=host, port=port)
    ]
