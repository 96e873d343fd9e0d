"""Importing groups (issue 11): a list of N groups in one write transaction against one `add_group` each.

Reads an .xlsx list (made here with openpyxl, a name column and a phone column) and imports it through the
same services the staff page and `meetkit group import` use, on a fresh database (SQLite in a temporary data
dir, or PostgreSQL with --database-url). Dial-in is on, so every group also gets a PIN.

Run: .venv/bin/python -m bench.group_import [--groups 300] [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import platform
import tempfile
import time
from pathlib import Path

import openpyxl

from meetkit.config import load_settings, with_secret
from meetkit.domain.scope import OPERATOR
from meetkit.services import directory, group_import
from meetkit.storage.database import database_for


def office_list(count: int, prefix: str) -> bytes:
    """An .xlsx with a heading row, `count` group names of about 40 characters and a phone column."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Name der Gruppe", "Telefon"])
    for n in range(count):
        sheet.append([f"{prefix} Gesprächskreis für Angehörige {n:05d}", "0911 999"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def run(count: int, database_url: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "MEETKIT_DATA_DIR": str(Path(folder) / "data"),
            "MEETKIT_DIALIN_NUMBERS": "DE:+49 89 1234567",
        }
        if database_url:
            env["MEETKIT_DATABASE_URL"] = database_url
        settings = with_secret(load_settings(env, env_file=Path(folder) / "no.env"), create=True)
        db = database_for(settings.database_url)
        await db.open()
        try:
            await directory.add_contact_point(db, OPERATOR, "KISS Bench", slug=f"kiss-bench-{time.time_ns()}")
            slug = (await directory.list_contact_points(db, OPERATOR))[-1].slug
            data = office_list(count, "A")
            started = time.perf_counter()
            listed = await group_import.read_list(data)
            read = time.perf_counter() - started
            started = time.perf_counter()
            await group_import.preview_import(db, OPERATOR, slug, listed)
            preview = time.perf_counter() - started
            started = time.perf_counter()
            result = await group_import.import_groups(db, settings, OPERATOR, slug, listed)
            write = time.perf_counter() - started
            assert len(result.created) == count
            singles = min(count, 300)
            started = time.perf_counter()
            for n in range(singles):
                await directory.add_group(db, settings, OPERATOR, f"B {n:05d}", slug)
            one_by_one = time.perf_counter() - started
        finally:
            await db.close()
    backend = "PostgreSQL" if database_url else "SQLite"
    print(f"{backend}, {count} groups, {platform.python_version()}, {platform.machine()}")
    print(f"read .xlsx ({len(data) // 1024} KB): {read * 1000:.0f} ms")
    print(f"preview (duplicates against the contact point): {preview * 1000:.0f} ms")
    print(f"import in one transaction: {write * 1000:.0f} ms ({write / count * 1000:.2f} ms per group)")
    print(
        f"add_group one by one ({singles} groups, in-process, no CLI start-up): {one_by_one * 1000:.0f} ms"
        f" ({one_by_one / singles * 1000:.2f} ms per group)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--groups", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    asyncio.run(run(args.groups, args.database_url))


if __name__ == "__main__":
    main()
