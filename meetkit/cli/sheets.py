"""`meetkit sheet GROUP -o FILE.pdf` and `meetkit sheets [--contact-point SLUG] -o FILE.pdf`."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import CommandError, add_json_flag, emit, os_error_reason
from meetkit.cli.language import _
from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR

if TYPE_CHECKING:
    from meetkit.sheets import SheetData
    from meetkit.storage.database import Database

# meetkit.sheets.data's LANGS and LAYOUTS: registering the commands must not load the renderer (Jinja2,
# WeasyPrint, the QR code library), so they are repeated here and tests/test_cli_startup.py compares them.
LANGS = ("de", "en", "ls")
LAYOUTS = ("a4", "cards")


def register(subparsers: Any) -> None:
    """Add the `sheet` and `sheets` commands."""
    one = subparsers.add_parser("sheet", help=_("das Einladungsblatt einer Gruppe als PDF schreiben"))
    one.add_argument("group", metavar=_("GRUPPE"), help=_("Nummer oder eindeutiger Name der Gruppe"))
    _common(one)
    one.set_defaults(handler=write_sheet)

    many = subparsers.add_parser(
        "sheets", help=_("die Einladungsblätter der Gruppen einer Kontaktstelle in ein PDF schreiben")
    )
    many.add_argument(
        "--contact-point",
        metavar=_("KURZNAME"),
        help=_("nur die Gruppen dieser Kontaktstelle (Vorgabe: alle)"),
    )
    _common(many)
    many.set_defaults(handler=write_sheets)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar=_("DATEI.pdf"), help=_("das PDF, das entsteht")
    )
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default=None,
        help=_(
            "Sprache des Blatts: de, en oder ls für Leichte Sprache (Vorgabe: die für die Gruppe gewählte)"
        ),
    )
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="a4",
        help=_("a4: ein A4-Blatt je Gruppe (Vorgabe); cards: vier A6-Kärtchen je A4-Seite"),
    )
    add_json_flag(parser)


def writable_target(path: Path) -> Path:
    """Check before rendering that `path` can be written; return where to write it first (same folder)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CommandError(_("{path} lässt sich nicht schreiben: das ist ein Ordner.").format(path=path))
    if not folder.is_dir():
        raise CommandError(
            _("{path} lässt sich nicht schreiben: den Ordner {folder} gibt es nicht.").format(
                path=path, folder=folder
            )
        )
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(_("{path} lässt sich nicht schreiben: keine Berechtigung.").format(path=path))
    return folder / f".{path.name}.{os.getpid()}.tmp"


BAR_WIDTH = 30


def terminal_progress(total: int) -> Callable[[int], None]:
    """A progress bar on the terminal, redrawn in place after each chunk of sheets."""

    def show(done: int) -> None:
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        text = _("{done} von {total} Blättern").format(done=done, total=total)
        print(f"\r[{bar}] {100 * done // total:3d} %  {text}", end="", flush=True)

    show(0)
    return show


async def _write(args: argparse.Namespace, sheets: list[SheetData], what: str) -> int:
    """Render `sheets` into a temporary file beside the target, then move it into place.

    A few sheets render in this process; a batch goes to a process pool (one worker per core).
    """
    from meetkit.sheets import SheetRenderer
    from meetkit.sheets.pdf import render_document
    from meetkit.sheets.pool import CHUNK_SIZE

    target: Path = args.output
    temporary = writable_target(target)
    try:
        if len(sheets) <= CHUNK_SIZE:
            document = render_document(sheets, args.layout, args.lang)
            document.write_pdf(temporary)
            pages = len(document.pages)
        else:
            renderer = SheetRenderer()
            show = terminal_progress(len(sheets)) if sys.stdout.isatty() and not args.json else None
            try:
                pages = int(await renderer.batch(sheets, temporary, args.layout, args.lang, show))
            finally:
                renderer.close()
                if show is not None:
                    print()
        os.replace(temporary, target)
    except OSError as error:
        raise CommandError(
            _("{path} lässt sich nicht schreiben: {reason}.").format(
                path=target, reason=os_error_reason(error)
            )
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    data = {
        "file": str(target),
        "pages": pages,
        "groups": len(sheets),
        "layout": args.layout,
        "lang": args.lang or ",".join(sorted({sheet.lang for sheet in sheets})),  # chosen per group
    }
    page_count = _("1 Seite") if pages == 1 else _("{count} Seiten").format(count=pages)
    emit(args, data, [f"{target}: {what}, {page_count}"])
    return 0


async def write_sheet(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Write one group's sheet."""
    from meetkit.sheets.source import group_sheet

    writable_target(args.output)  # fail before looking anything up
    sheet = await group_sheet(db, settings, OPERATOR, args.group, args.lang)
    return await _write(args, [sheet], _("Einladungsblatt"))


async def write_sheets(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Write the sheets of all groups (of one contact point) into one PDF."""
    from meetkit.sheets.source import contact_point_sheets

    writable_target(args.output)
    sheets = await contact_point_sheets(db, settings, OPERATOR, args.contact_point, args.lang)
    if not sheets:
        if args.contact_point:
            raise CommandError(
                _("Die Kontaktstelle „{slug}“ hat noch keine Gruppen: nichts zu drucken.").format(
                    slug=args.contact_point
                )
            )
        raise CommandError(_("Hier gibt es noch keine Gruppen: nichts zu drucken."))
    groups = _("1 Gruppe") if len(sheets) == 1 else _("{count} Gruppen").format(count=len(sheets))
    return await _write(args, sheets, groups)
