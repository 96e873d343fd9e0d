"""Opening a database named by a URL for operator tools (copy, backup): checked URLs, clear errors, no passwords."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

from meetkit.domain.errors import MeetkitError
from meetkit.storage import sqlite
from meetkit.storage.connection import Connection
from meetkit.storage.database import POSTGRES_SCHEMES, shown_url
from meetkit.storage.postgres import CONNECT_TIMEOUT_SECONDS, PgConnection, first_line

SQLITE_PREFIX = "sqlite:///"


def N_(message: str) -> str:
    """Mark a message for translation where it is shown (the CLI translates it, this code never does)."""
    return message


BAD_URL = N_("{url}: erwartet wird sqlite:///PFAD oder postgresql://BENUTZER:PASSWORT@HOST:PORT/DATENBANK.")
UNREACHABLE = N_("Die Datenbank {url} ist nicht erreichbar: {reason}")
NO_SQLITE_FILE = N_("Unter {path} gibt es keine Datenbank.")
NOT_A_DATABASE = N_("Die Datei {path} lässt sich nicht als SQLite-Datenbank öffnen: {reason}")


class ToolError(MeetkitError):
    """An operator tool's error: a German message template and its values, so it can be shown translated."""

    def __init__(self, template: str, **values: object) -> None:
        super().__init__(template.format(**values))
        self.template = template
        self.values = values


@dataclass
class Endpoint:
    """An open connection to one database, its dialect and how to name it to a person."""

    url: str
    dialect: str
    conn: Connection

    @property
    def shown(self) -> str:
        """The URL without password or options, safe to print."""
        return shown_url(self.url)

    def close(self) -> None:
        """Close the connection."""
        if isinstance(self.conn, PgConnection):
            self.conn.raw.close()
        elif isinstance(self.conn, sqlite3.Connection):
            self.conn.close()


def dialect_of(url: str) -> str:
    """'sqlite' or 'postgresql' for a database URL; anything else is a ToolError."""
    if url.startswith(SQLITE_PREFIX) and len(url) > len(SQLITE_PREFIX):
        return "sqlite"
    if url.startswith(POSTGRES_SCHEMES):
        return "postgresql"
    raise ToolError(BAD_URL, url=shown_url(url))


def sqlite_path(url: str) -> Path:
    """The file of a `sqlite:///PATH` URL."""
    return Path(url.removeprefix(SQLITE_PREFIX))


def same_database(first: str, second: str) -> bool:
    """Whether two URLs name the same database (same file, or same host, port and database name)."""
    if dialect_of(first) != dialect_of(second):
        return False
    if dialect_of(first) == "sqlite":
        return sqlite_path(first).resolve() == sqlite_path(second).resolve()
    keys = ("host", "port", "dbname")
    one, other = conninfo_to_dict(first), conninfo_to_dict(second)
    return all(str(one.get(key, "")) == str(other.get(key, "")) for key in keys)


def open_endpoint(url: str, *, must_exist: bool) -> Endpoint:
    """Connect to the database at `url` (a new SQLite file is created unless `must_exist`)."""
    dialect = dialect_of(url)
    if dialect == "sqlite":
        path = sqlite_path(url)
        if must_exist and not path.is_file():
            raise ToolError(NO_SQLITE_FILE, path=path.absolute())
        try:
            conn = sqlite.connect(path)
            conn.row_factory = None  # plain tuples: copying thousands of rows
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as error:
            raise ToolError(NOT_A_DATABASE, path=path.absolute(), reason=first_line(error)) from None
        return Endpoint(url, dialect, conn)
    try:
        raw = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS)
    except psycopg.Error as error:
        raise ToolError(UNREACHABLE, url=shown_url(url), reason=first_line(error)) from None
    return Endpoint(url, dialect, PgConnection(raw))
