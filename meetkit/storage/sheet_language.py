"""SQL for the language of a group's printed sheet (support_groups.sheet_lang)."""

from __future__ import annotations

from collections.abc import Iterable

from meetkit.storage.connection import Connection, in_list


def for_groups(conn: Connection, group_ids: Iterable[int]) -> dict[int, str]:
    """The sheet language of each of these groups ("de", "en" or "ls")."""
    ids = sorted(set(group_ids))
    if not ids:
        return {}
    marks, values = in_list(ids)
    rows = conn.execute(f"SELECT id, sheet_lang FROM support_groups WHERE id IN {marks}", values).fetchall()
    return {row["id"]: row["sheet_lang"] for row in rows}


def set_language(conn: Connection, group_id: int, lang: str) -> None:
    """Store the group's sheet language."""
    conn.execute("UPDATE support_groups SET sheet_lang = ? WHERE id = ?", (lang, group_id))
