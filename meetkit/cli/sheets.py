"""`meetkit sheet GROUP -o FILE.pdf` and `meetkit sheets [--contact-point SLUG] -o FILE.pdf`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from meetkit.cli.common import CommandError, add_json_flag, emit
from meetkit.config import Settings
from meetkit.sheets import LANGS, LAYOUTS, SheetData, SheetRenderer
from meetkit.sheets.pdf import render_document
from meetkit.sheets.pool import CHUNK_SIZE
from meetkit.sheets.source import contact_point_sheets, group_sheet
from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `sheet` and `sheets` commands."""
    one = subparsers.add_parser("sheet", help="write one group's printable invitation sheet as PDF")
    one.add_argument("group", metavar="GROUP", help="group number or unique name")
    _common(one)
    one.set_defaults(handler=write_sheet)

    many = subparsers.add_parser("sheets", help="write the sheets of a contact point's groups into one PDF")
    many.add_argument(
        "--contact-point", metavar="SLUG", help="only this contact point's groups (default: all)"
    )
    _common(many)
    many.set_defaults(handler=write_sheets)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", required=True, type=Path, metavar="FILE.pdf", help="the PDF to write"
    )
    parser.add_argument("--lang", choices=LANGS, default="de", help="language of the sheet (default: de)")
    parser.add_argument(
        "--layout",
        choices=LAYOUTS,
        default="a4",
        help="a4: one A4 sheet per group (default); cards: four A6 cards per A4 page",
    )
    add_json_flag(parser)


def writable_target(path: Path) -> Path:
    """Check before rendering that `path` can be written; return where to write it first (same folder)."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CommandError(f"cannot write {path}: it is a directory")
    if not folder.is_dir():
        raise CommandError(f"cannot write {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"cannot write {path}: Permission denied")
    return folder / f".{path.name}.{os.getpid()}.tmp"


async def _write(args: argparse.Namespace, sheets: list[SheetData], what: str) -> int:
    """Render `sheets` into a temporary file beside the target, then move it into place.

    A few sheets render in this process; a batch goes to a process pool (one worker per core).
    """
    target: Path = args.output
    temporary = writable_target(target)
    try:
        if len(sheets) <= CHUNK_SIZE:
            document = render_document(sheets, args.layout, args.lang)
            document.write_pdf(temporary)
            pages = len(document.pages)
        else:
            renderer = SheetRenderer()
            try:
                pages = int(await renderer.batch(sheets, temporary, args.layout, args.lang))
            finally:
                renderer.close()
        os.replace(temporary, target)
    except OSError as error:
        raise CommandError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        temporary.unlink(missing_ok=True)
    data = {
        "file": str(target),
        "pages": pages,
        "groups": len(sheets),
        "layout": args.layout,
        "lang": args.lang,
    }
    emit(args, data, [f"{target}: {what}, {pages} page{'s' if pages != 1 else ''}"])
    return 0


async def write_sheet(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Write one group's sheet."""
    writable_target(args.output)  # fail before looking anything up
    sheet = await group_sheet(db, settings, args.group, args.lang)
    return await _write(args, [sheet], "invitation sheet")


async def write_sheets(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Write the sheets of all groups (of one contact point) into one PDF."""
    writable_target(args.output)
    sheets = await contact_point_sheets(db, settings, args.contact_point, args.lang)
    if not sheets:
        where = f"contact point '{args.contact_point}'" if args.contact_point else "this installation"
        raise CommandError(f"{where} has no groups yet: nothing to print")
    return await _write(args, sheets, f"{len(sheets)} group{'s' if len(sheets) != 1 else ''}")
