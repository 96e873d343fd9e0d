"""`meetkit privacy-report -o FILE.html|.pdf`: records of processing and measures for the data protection officer."""

from __future__ import annotations

import argparse
import asyncio
import errno
import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meetkit.cli.check import DEFAULT_TIMEOUT
from meetkit.cli.language import _, cli_language
from meetkit.config import Settings
from meetkit.domain.errors import InvalidInput

if TYPE_CHECKING:
    from meetkit.storage.database import Database


SUFFIXES = (".html", ".htm", ".pdf")


def register(subparsers: Any) -> None:
    """Add the `privacy-report` command."""
    parser = subparsers.add_parser(
        "privacy-report",
        help=_("Verzeichnis der Verarbeitungstätigkeiten und Schutzmaßnahmen als HTML oder PDF"),
        description=_(
            "Schreibt aus der laufenden Konfiguration, der Datenbank und den Prüfungen von „meetkit "
            "check-jitsi“ das Verzeichnis der Verarbeitungstätigkeiten (Art. 30 DSGVO), die technischen und "
            "organisatorischen Maßnahmen mit Nachweis, die offenen Punkte für eine "
            "Datenschutz-Folgenabschätzung und das Dateninventar. Die Endung von DATEI (.html oder .pdf) "
            "wählt das Format."
        ),
    )
    parser.add_argument(
        "-o", "--output", required=True, metavar=_("DATEI"), help=_("z. B. verarbeitung.html")
    )
    parser.add_argument(
        "--lang",
        choices=("de", "en"),
        help=_("Sprache des Berichts (Vorgabe: die Sprache der Kommandozeile)"),
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        metavar=_("SEKUNDEN"),
        help=_("Jitsi-Prüfungen nach so vielen Sekunden aufgeben"),
    )
    parser.set_defaults(handler=privacy_report_command)


def writable_target(output: str) -> Path:
    """The output path, refused before any work when its suffix or folder will not do."""
    path = Path(output)
    if path.suffix.lower() not in SUFFIXES:
        raise InvalidInput(f"Die Datei muss auf .html oder .pdf enden, nicht '{path.name}'.")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise OSError(errno.ENOENT, os.strerror(errno.ENOENT), str(folder))
    if path.is_dir():
        raise OSError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    return path


def write_whole(path: Path, data: bytes) -> None:
    """Write a file completely or not at all (a temporary file beside it, then renamed)."""
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


async def privacy_report_command(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Gather, render and write the report."""
    from meetkit.services import privacy_report
    from meetkit.web.security import default_csp

    path = writable_target(args.output)
    if not 0 < args.timeout <= 300:
        raise InvalidInput("--timeout muss zwischen 0 und 300 Sekunden liegen.")
    report = await privacy_report.gather(db, settings, default_csp(settings.jitsi_url), args.timeout)
    html = privacy_report.render_html(report, args.lang or cli_language())
    if path.suffix.lower() == ".pdf":
        data = await asyncio.to_thread(privacy_report.render_pdf, html)
    else:
        data = html.encode()
    await asyncio.to_thread(write_whole, path, data)
    print(_("Bericht zum Datenschutz in {path} geschrieben.").format(path=path), file=sys.stderr)
    if report.jitsi_reason:
        print(_("Hinweis: Jitsi konnte nicht geprüft werden; der Bericht sagt es."), file=sys.stderr)
    return 0
