"""The language a group's printed sheet uses unless someone asks for another (staff choose it per group)."""

from __future__ import annotations

from meetkit.domain.errors import InvalidInput
from meetkit.domain.scope import Scope
from meetkit.services.audit import record_in
from meetkit.services.directory import require_active, scoped_group
from meetkit.sheets.data import LANGS, Lang
from meetkit.storage import sheet_language
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

UNKNOWN_LANGUAGE = "Bitte wählen Sie Deutsch, Englisch oder Leichte Sprache."


def checked_language(text: str) -> Lang:
    """`text` as a sheet language; raises InvalidInput for anything but de, en and ls."""
    for lang in LANGS:
        if text == lang:
            return lang
    raise InvalidInput(UNKNOWN_LANGUAGE)


async def sheet_language_of(db: Database, scope: Scope, group_id: int) -> Lang:
    """The group's sheet language (NotFound outside the scope)."""

    def query(conn: Connection) -> Lang:
        group = scoped_group(conn, scope, group_id)
        return checked_language(sheet_language.for_groups(conn, [group.id])[group.id])

    return await db.read(query)


async def set_sheet_language(db: Database, scope: Scope, group_id: int, text: str) -> Lang:
    """Choose the group's sheet language, with an audit entry; an archived group is refused."""
    lang = checked_language(text)

    def change(conn: Connection) -> Lang:
        group = scoped_group(conn, scope, group_id)
        require_active(group)
        sheet_language.set_language(conn, group.id, lang)
        record_in(conn, scope.actor, "sheet_language", f"#{group.id} {lang}")
        return lang

    return await db.write(change)
