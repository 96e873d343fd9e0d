"""`backup`: a consistent copy of the live database in one file (SQLite's online backup, or pg_dump)."""

from __future__ import annotations

import glob
import os
import secrets
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from meetkit.storage import sqlite
from meetkit.storage.database import shown_url
from meetkit.storage.endpoints import N_, ToolError, dialect_of, sqlite_path
from meetkit.storage.postgres import first_line

# SQLite copies this many pages (4 KiB each) per step and then pauses, so the server's own reads and writes
# keep their share of the disk. The whole copy reads one snapshot: writes during it do not restart it.
PAGES_PER_STEP = 256
PAUSE_SECONDS = 0.005
PG_DUMP_GLOB = "/usr/lib/postgresql/*/bin/pg_dump"
PG_DUMP_TIMEOUT_SECONDS = 6 * 3600

EXISTS = N_("{file} gibt es schon. Mit --force wird die Datei überschrieben.")
IS_DIRECTORY = N_("{file} ist ein Ordner; bitte einen Dateinamen angeben.")
NO_FOLDER = N_("Den Ordner {folder} gibt es nicht.")
NOT_A_FOLDER = N_("{folder} ist kein Ordner.")
NOT_WRITABLE = N_("In {folder} kann keine Datei angelegt werden: {reason}")
NO_SQLITE_FILE = N_("Unter {path} gibt es keine Datenbank, also nichts zu sichern.")
SQLITE_FAILED = N_("Die Sicherung ist fehlgeschlagen: {reason}. Es wurde keine Datei angelegt.")
CHECK_FAILED = N_("Die Sicherung ist beschädigt ({reason}). Es wurde keine Datei angelegt.")
NO_PG_DUMP = N_(
    "pg_dump wurde nicht gefunden. Bitte die PostgreSQL-Programme installieren (Debian: postgresql-client, "
    "in der Version des Servers oder neuer) oder auf dem Datenbankserver ausführen: "
    "pg_dump --format=custom --file={file} {url}"
)
PG_DUMP_FAILED = N_("pg_dump ist fehlgeschlagen: {reason}. Es wurde keine Datei angelegt.")


@dataclass(frozen=True, slots=True)
class BackupResult:
    """Where the backup went, of which database, how it was made and how big it is."""

    file: Path
    database: str
    method: str
    size: int


def make_backup(database_url: str, file: Path, *, force: bool) -> BackupResult:
    """Write a consistent backup of the database at `database_url` to `file`, all of it or no file at all."""
    dialect = dialect_of(database_url)
    check_destination(file, force=force)
    if dialect == "sqlite":
        source = sqlite_path(database_url)
        if not source.is_file():
            raise ToolError(NO_SQLITE_FILE, path=source.absolute())
        _write_via_partial(file, lambda partial: backup_sqlite(source, partial))
        method = "sqlite-online-backup"
    else:
        pg_dump = find_pg_dump()
        if pg_dump is None:
            raise ToolError(NO_PG_DUMP, file=file, url=shown_url(database_url))
        _write_via_partial(file, lambda partial: run_pg_dump(pg_dump, database_url, partial))
        method = "pg_dump-custom"
    return BackupResult(file, shown_url(database_url), method, file.stat().st_size)


def check_destination(file: Path, *, force: bool) -> None:
    """Refuse an existing file without `force`, a folder, or a folder that is not there."""
    if file.is_dir():
        raise ToolError(IS_DIRECTORY, file=file)
    if file.exists() and not force:
        raise ToolError(EXISTS, file=file)
    folder = file.parent
    if not folder.is_dir():
        raise ToolError(NOT_A_FOLDER if folder.exists() else NO_FOLDER, folder=folder)


def _write_via_partial(file: Path, write: Callable[[Path], None]) -> None:
    """Let `write(partial)` fill a private file next to `file`, then move it into place; on failure remove it."""
    partial = file.with_name(f".{file.name}.{secrets.token_hex(4)}.partial")
    private = 0o600  # group names and schedules: for the operator only
    try:
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, private)
    except OSError as error:
        raise ToolError(
            NOT_WRITABLE, folder=file.parent, reason=error.strerror or first_line(error)
        ) from None
    os.close(fd)
    try:
        write(partial)
        _fsync(partial)
        os.replace(partial, file)
    except BaseException:
        partial.unlink(missing_ok=True)
        for leftover in (Path(f"{partial}-journal"), Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            leftover.unlink(missing_ok=True)
        raise
    _fsync(file.parent)


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy the live SQLite database page by page from one read snapshot, then check the copy."""
    src = sqlite.connect(source)
    try:
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            src.execute("BEGIN")
            src.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # hold one snapshot for every step
            src.backup(dst, pages=PAGES_PER_STEP, progress=lambda *_: time.sleep(PAUSE_SECONDS))
            src.execute("ROLLBACK")
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file; meetkit turns WAL on again
            verdict = dst.execute("PRAGMA quick_check").fetchone()[0]
            if verdict != "ok":
                raise ToolError(CHECK_FAILED, reason=verdict)
        finally:
            dst.close()
    except sqlite3.Error as error:
        raise ToolError(SQLITE_FAILED, reason=first_line(error)) from None
    finally:
        src.close()


def find_pg_dump(search_path: str | None = None, pattern: str = PG_DUMP_GLOB) -> Path | None:
    """pg_dump from PATH, else the newest under Debian's /usr/lib/postgresql/VERSION/bin."""
    found = shutil.which("pg_dump", path=search_path)
    if found:
        return Path(found)
    versions = sorted(glob.glob(pattern), key=_version_key)
    return Path(versions[-1]) if versions else None


def _version_key(path: str) -> list[int]:
    """/usr/lib/postgresql/15/bin/pg_dump -> [15], so that 16 sorts after 9.6."""
    return [int(part) for part in Path(path).parts[-3].split(".") if part.isdigit()]


def run_pg_dump(pg_dump: Path, url: str, target: Path) -> None:
    """Run pg_dump in its custom format into `target`; the password goes in the environment, not argv."""
    params = conninfo_to_dict(url)
    password = params.pop("password", None)
    environment = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if password is not None:
        environment["PGPASSWORD"] = str(password)
    completed = subprocess.run(  # noqa: S603 - a fixed program with our own arguments
        [str(pg_dump), "--format=custom", "--no-password", f"--file={target}", make_conninfo("", **params)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=PG_DUMP_TIMEOUT_SECONDS,
        check=False,
    )
    if completed.returncode != 0:
        raise ToolError(PG_DUMP_FAILED, reason=_error_line(completed.stderr, completed.returncode))


def _error_line(text: str, returncode: int) -> str:
    """pg_dump's first error line (hints follow it), without its prefix."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    errors = [line for line in lines if "error:" in line] or lines
    return errors[0].removeprefix("pg_dump: error: ").rstrip(".") if errors else f"exit status {returncode}"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
