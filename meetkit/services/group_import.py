"""Importing a contact point's list of groups: a preview, then every new group in one write transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain.errors import InvalidInput
from meetkit.domain.group_import import ImportPlan, named_rows, plan_rows
from meetkit.domain.group_table import Table, read_table
from meetkit.domain.models import ContactPoint
from meetkit.domain.numbers import is_ascii_number
from meetkit.domain.scope import Scope
from meetkit.services.audit import record_in
from meetkit.services.directory import IssuedGroup, scoped_contact_point
from meetkit.storage import contact_points, group_import
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

NAME_THE_CONTACT_POINT = "Bitte die Kontaktstelle angeben, zu der die Gruppen gehören."
FORM_ROWS_UNREADABLE = "Das Formular konnte nicht gelesen werden. Bitte die Datei noch einmal hochladen."
NOTHING_TO_IMPORT = "Es gibt keine neuen Gruppen zu übernehmen."


@dataclass(frozen=True, slots=True)
class ListedRows:
    """The (line, name) pairs of a list, with the name column's heading and the columns left out."""

    rows: tuple[tuple[int, str], ...]
    name_column: str | None = None
    ignored_columns: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What an import did (or, as a dry run, would do): the plan and the groups made with their leader tokens."""

    contact_point: ContactPoint
    plan: ImportPlan
    created: tuple[IssuedGroup, ...]
    dry_run: bool


async def read_list(data: bytes) -> ListedRows:
    """Read an uploaded CSV or .xlsx file (in a thread: a long sheet takes a moment), or raise InvalidInput."""
    return await asyncio.to_thread(_listed, data)


def _listed(data: bytes) -> ListedRows:
    table: Table = read_table(data)
    rows, heading, ignored = named_rows(table)
    return ListedRows(tuple(rows), heading, ignored)


def _contact_point(conn: Connection, scope: Scope, slug: str | None) -> ContactPoint:
    if slug:
        return scoped_contact_point(conn, scope, slug)
    visible = [c for c in contact_points.all_(conn) if scope.allows(c.id)]
    if len(visible) == 1:
        return visible[0]
    raise InvalidInput(NAME_THE_CONTACT_POINT)


def _plan(
    conn: Connection, scope: Scope, slug: str | None, listed: ListedRows
) -> tuple[ContactPoint, ImportPlan]:
    contact_point = _contact_point(conn, scope, slug)
    existing = group_import.names_of_contact_point(conn, contact_point.id)
    plan = ImportPlan(plan_rows(listed.rows, existing), listed.name_column, listed.ignored_columns)
    return contact_point, plan


async def preview_import(
    db: Database, scope: Scope, slug: str | None, listed: ListedRows
) -> tuple[ContactPoint, ImportPlan]:
    """Which rows would become groups of the contact point, and why the others would not."""
    return await db.read(lambda conn: _plan(conn, scope, slug, listed))


async def import_groups(
    db: Database,
    settings: Settings,
    scope: Scope,
    slug: str | None,
    listed: ListedRows,
    *,
    dry_run: bool = False,
) -> ImportResult:
    """Make every new group of the list in one transaction (all or none), checked again inside it."""
    if dry_run:
        contact_point, plan = await preview_import(db, scope, slug, listed)
        return ImportResult(contact_point, plan, (), True)
    tokens: list[str] = []

    def write(conn: Connection) -> tuple[ContactPoint, ImportPlan, list[IssuedGroup]]:
        contact_point, plan = _plan(conn, scope, slug, listed)
        new = plan.new_rows
        tokens[:] = [ids.new_secret_token() for _ in new]
        made = group_import.insert_many(
            conn,
            contact_point.id,
            [group_import.NewGroup(row.name, ids.hash_secret(t)) for row, t in zip(new, tokens, strict=True)],
            settings.pin_digits if settings.dialin_enabled else None,
        )
        if made:
            record_in(conn, scope.actor, "groups_imported", f"{contact_point.slug}: {len(made)}")
        return contact_point, plan, [IssuedGroup(g, t) for g, t in zip(made, tokens, strict=True)]

    contact_point, plan, created = await db.write(write)
    if created:  # a large import leaves PostgreSQL planning with the old size until autovacuum's ANALYZE
        await db.refresh_statistics(group_import.WRITTEN_TABLES)
    return ImportResult(contact_point, plan, tuple(created), False)


def rows_from_form(values: Sequence[str]) -> ListedRows:
    """The rows a confirmation form carries back, each as "line:name" (the preview's rows, unchanged)."""
    rows = []
    for value in values:
        line, separator, name = value.partition(":")
        if not separator or not is_ascii_number(line) or len(line) > 6:
            raise InvalidInput(FORM_ROWS_UNREADABLE)
        rows.append((int(line), name))
    if not rows:
        raise InvalidInput(NOTHING_TO_IMPORT)
    return ListedRows(tuple(rows))
