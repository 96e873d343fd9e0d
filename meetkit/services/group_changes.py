"""Changing a group from the staff app and the CLI: rename, archive, reactivate, delete, hand over the leader link.

Archiving and deleting retire the group's room, member link, leader link and PIN at once (as `group rotate`
does) and give it unknown new ones and no PIN, so every old link stops. A deleted group stays as a row only so
that the attendance it already counted stays in the monthly totals; it is gone everywhere else.
"""

from __future__ import annotations

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain.errors import InvalidInput
from meetkit.domain.models import Group
from meetkit.domain.names import clean_name
from meetkit.domain.scope import Scope
from meetkit.services.audit import record_in
from meetkit.services.directory import IssuedGroup, renew_secrets_in, require_active, scoped_group
from meetkit.storage import groups
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database


async def rename_group(db: Database, scope: Scope, reference: str | int, new_name: str) -> Group:
    """Give a group a new name (pages and sheets show it at once)."""
    name = clean_name(new_name, "Der Gruppenname")

    def change(conn: Connection) -> Group:
        group = scoped_group(conn, scope, reference)
        if name == group.name:
            raise InvalidInput(f"Die Gruppe heißt schon „{name}“.")
        groups.rename(conn, group.id, name)
        record_in(conn, scope.actor, "group_renamed", f"#{group.id} {group.name} -> {name}")
        return _reread(conn, group.id)

    return await db.write(change)


async def archive_group(db: Database, settings: Settings, scope: Scope, reference: str | int) -> Group:
    """Archive a group: its links and PIN stop at once; it leaves the lists, sheets and the kiosk."""

    def change(conn: Connection) -> Group:
        group = scoped_group(conn, scope, reference)
        if group.archived_at is not None:
            raise InvalidInput(f"Die Gruppe „{group.name}“ ist schon archiviert.")
        renew_secrets_in(conn, settings, group, None)
        groups.set_archived(conn, group.id, True)
        record_in(conn, scope.actor, "group_archived", f"#{group.id} {group.name}")
        return _reread(conn, group.id)

    return await db.write(change)


async def reactivate_group(
    db: Database, settings: Settings, scope: Scope, reference: str | int
) -> IssuedGroup:
    """Bring an archived group back with a new room, member link, leader link and (with dial-in) PIN."""
    leader_token = ids.new_secret_token()

    def change(conn: Connection) -> Group:
        group = scoped_group(conn, scope, reference)
        if group.archived_at is None:
            raise InvalidInput(f"Die Gruppe „{group.name}“ ist nicht archiviert.")
        renew_secrets_in(conn, settings, group, leader_token)
        groups.set_archived(conn, group.id, False)
        record_in(conn, scope.actor, "group_reactivated", f"#{group.id} {group.name}")
        return _reread(conn, group.id)

    return IssuedGroup(await db.write(change), leader_token)


async def delete_group(db: Database, settings: Settings, scope: Scope, reference: str | int) -> Group:
    """Delete a group: links, PIN, schedule and the group itself are gone; its counted attendance stays."""

    def change(conn: Connection) -> Group:
        group = scoped_group(conn, scope, reference)
        if group.archived_at is None:  # an archived group's secrets were retired already
            renew_secrets_in(conn, settings, group, None)
        groups.mark_deleted(conn, group.id)
        record_in(conn, scope.actor, "group_deleted", f"#{group.id} {group.name}")
        return group

    return await db.write(change)


async def hand_over_leader_link(db: Database, scope: Scope, reference: str | int) -> IssuedGroup:
    """A new leader link for a new or returning leader; the old one stops, member link and PIN stay."""
    leader_token = ids.new_secret_token()

    def change(conn: Connection) -> Group:
        group = scoped_group(conn, scope, reference)
        require_active(group)
        old_hash = groups.leader_token_hash_of(conn, group.id)
        groups.replace_leader_token(conn, group.id, old_hash, ids.hash_secret(leader_token))
        record_in(conn, scope.actor, "group_leader_link_issued", f"#{group.id} {group.name}")
        return _reread(conn, group.id)

    return IssuedGroup(await db.write(change), leader_token)


def _reread(conn: Connection, group_id: int) -> Group:
    found = groups.by_id(conn, group_id)
    assert found is not None
    return found
