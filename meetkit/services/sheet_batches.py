"""Batches of sheets for staff: rendered in the background in the sheet worker pool, progress in the database.

A batch belongs to a contact point. Its progress and finished PDF live in the database, so that any process
(or instance) can answer the progress page and the download, whichever one renders. Batches are kept for an
hour; a running batch whose process stopped (no progress for five minutes) counts as failed.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from meetkit.config import Settings
from meetkit.domain.errors import InvalidInput, NotFound
from meetkit.domain.scope import Scope
from meetkit.services import directory
from meetkit.services.audit import record_in
from meetkit.sheets import Lang, Layout, SheetData, SheetRenderer
from meetkit.sheets.source import sheet_data
from meetkit.storage import sheet_batches
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database
from meetkit.storage.sheet_batches import BatchRow

log = logging.getLogger("meetkit.sheets")

KEEP_MINUTES = 60
GROUPS_OWN_LANGUAGE = "group"  # stored as the batch's language when each sheet is in its group's own
STALLED_SECONDS = 300
TIMESTAMP = "%Y-%m-%dT%H:%M:%SZ"
NO_GROUPS = "Diese Kontaktstelle hat noch keine Gruppen: es gibt nichts zu drucken."


@dataclass(frozen=True, slots=True)
class Batch:
    """A batch as the progress page shows it."""

    id: int
    contact_point_id: int
    total: int
    done: int
    state: str  # "running", "done" or "failed"
    lang: str
    layout: str

    @property
    def percent(self) -> int:
        """How far it is, 0 to 100."""
        return 100 if self.state == "done" else (100 * self.done) // max(self.total, 1)


def _moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, TIMESTAMP).replace(tzinfo=dt.UTC)


def _batch(row: BatchRow, now: dt.datetime) -> Batch:
    state = row.state
    if state == "running" and (now - _moment(row.updated_at)).total_seconds() > STALLED_SECONDS:
        state = "failed"  # the process that rendered it has stopped
    return Batch(row.id, row.contact_point_id, row.total, row.done, state, row.lang, row.layout)


def _not_found(batch_id: int) -> NotFound:
    return NotFound(f"Keinen Druckauftrag mit der Nummer {batch_id}.")


def _scoped(conn: Connection, scope: Scope, batch_id: int) -> BatchRow:
    row = sheet_batches.by_id(conn, batch_id)
    if row is None or not scope.allows(row.contact_point_id):
        raise _not_found(batch_id)
    return row


async def batch_status(db: Database, scope: Scope, batch_id: int) -> Batch:
    """A batch of the scope's contact points (NotFound for others, as for one that does not exist)."""
    row = await db.read(lambda conn: _scoped(conn, scope, batch_id))
    return _batch(row, dt.datetime.now(dt.UTC))


async def batch_pdf(db: Database, scope: Scope, batch_id: int) -> bytes:
    """The finished batch's PDF (NotFound while it renders, after it failed, or outside the scope)."""

    def query(conn: Connection) -> str | None:
        _scoped(conn, scope, batch_id)
        return sheet_batches.pdf_of(conn, batch_id)

    encoded = await db.read(query)
    if encoded is None:
        raise _not_found(batch_id)
    return base64.b64decode(encoded)


async def selected_sheets(
    db: Database, settings: Settings, scope: Scope, slug: str, group_ids: Sequence[int], lang: Lang | None
) -> list[SheetData]:
    """The sheets of the contact point's groups (only of `group_ids` when given), by number; in `lang`, or
    each in its group's sheet language."""
    found = {g.id: g for g in await directory.list_groups(db, scope, slug)}
    for group_id in group_ids:
        if group_id not in found:
            raise NotFound(f"Keine Gruppe mit der Nummer {group_id}.")
    chosen = sorted(set(group_ids)) if group_ids else sorted(found)
    return [await sheet_data(db, settings, await directory.group_view(db, gid), lang) for gid in chosen]


class SheetBatches:
    """Starts batches as background tasks of this process; they outlive the request that started them."""

    def __init__(self, db: Database, settings: Settings, renderer: SheetRenderer) -> None:
        self.db, self.settings, self.renderer = db, settings, renderer
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(
        self,
        scope: Scope,
        slug: str,
        group_ids: Sequence[int],
        lang: Lang | None,
        layout: Layout,
    ) -> int:
        """Start rendering the contact point's sheets (or a selection); return the batch's number."""
        sheets = await selected_sheets(self.db, self.settings, scope, slug, group_ids, lang)
        if not sheets:
            raise InvalidInput(NO_GROUPS)
        cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=KEEP_MINUTES)).strftime(TIMESTAMP)

        def insert(conn: Connection) -> int:
            contact_point = directory.scoped_contact_point(conn, scope, slug)
            sheet_batches.delete_older_than(conn, cutoff)
            batch_id = sheet_batches.insert(
                conn, contact_point.id, scope.actor, lang or GROUPS_OWN_LANGUAGE, layout, len(sheets)
            )
            record_in(conn, scope.actor, "sheets_batch", f"{slug}: {len(sheets)}")
            return batch_id

        batch_id = await self.db.write(insert, invalidates_cache=False)
        task = asyncio.create_task(self._render(batch_id, sheets, lang, layout))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return batch_id

    async def _render(
        self, batch_id: int, sheets: list[SheetData], lang: Lang | None, layout: Layout
    ) -> None:
        pending: list[asyncio.Future[None]] = []

        def progress(done: int) -> None:
            pending.append(
                asyncio.ensure_future(
                    self.db.write(
                        lambda conn: sheet_batches.set_progress(conn, batch_id, done), invalidates_cache=False
                    )
                )
            )

        encoded: str | None = None
        try:
            body = await self.renderer.batch(sheets, None, layout, lang, progress)
            assert isinstance(body, bytes)
            encoded = base64.b64encode(body).decode("ascii")
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("sheet batch %s failed", batch_id)
        finally:
            await asyncio.gather(*pending, return_exceptions=True)
            await asyncio.shield(
                self.db.write(
                    lambda conn: sheet_batches.finish(conn, batch_id, encoded), invalidates_cache=False
                )
            )

    async def close(self) -> None:
        """Stop the batches still rendering (they are marked failed)."""
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
