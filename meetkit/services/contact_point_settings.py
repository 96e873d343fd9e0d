"""A contact point's settings, changed by its staff or an admin: name, help phone, group names, group rules,
the practice room on sheets."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from meetkit.domain.errors import InvalidInput
from meetkit.domain.group_rules import clean_rules
from meetkit.domain.models import ContactPoint
from meetkit.domain.names import clean_name, clean_phone
from meetkit.domain.scope import Scope
from meetkit.services.audit import record_in
from meetkit.services.directory import scoped_contact_point
from meetkit.storage import contact_points
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

T = TypeVar("T")


class SettingsError(InvalidInput):
    """A setting that cannot be stored, with the form field it belongs to."""

    def __init__(self, field: str, error: InvalidInput) -> None:
        super().__init__(error.message)
        self.field = field


def _checked(field: str, check: Callable[[str], T], text: str) -> T:
    try:
        return check(text)
    except InvalidInput as error:
        raise SettingsError(field, error) from None


async def change_settings(
    db: Database,
    scope: Scope,
    slug: str,
    *,
    name: str,
    phone: str,
    show_group_names: bool,
    rules_text: str,
    practice_on_sheet: bool = False,
) -> ContactPoint:
    """Check every field (SettingsError names the first wrong one), then store them together, audited."""
    clean = _checked("name", lambda text: clean_name(text, "Der Name der Kontaktstelle"), name)
    number = _checked("phone", clean_phone, phone) if phone.strip() else None
    rules = _checked("rules", clean_rules, rules_text)

    def change(conn: Connection) -> ContactPoint:
        found = scoped_contact_point(conn, scope, slug)
        contact_points.update_settings(
            conn,
            found.id,
            name=clean,
            phone=number,
            show_group_names=show_group_names,
            rules_text=rules,
            practice_on_sheet=practice_on_sheet,
        )
        record_in(conn, scope.actor, "contact_point_changed", found.slug)
        changed = contact_points.by_id(conn, found.id)
        assert changed is not None
        return changed

    return await db.write(change)
