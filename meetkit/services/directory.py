"""Use cases for contact points and groups, shared by the CLI and the web API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from meetkit.config import Settings
from meetkit.domain import ids
from meetkit.domain.errors import Conflict, InvalidInput, LinkRenewed, NotFound
from meetkit.domain.links import leader_url, member_url
from meetkit.domain.models import ContactPoint, Group
from meetkit.domain.names import clean_name, clean_phone, clean_slug, slugify
from meetkit.domain.references import find_by_reference
from meetkit.domain.scope import Scope
from meetkit.services.audit import record_in
from meetkit.storage import contact_points, dialin, groups
from meetkit.storage.connection import Connection, is_unique_violation, savepoint
from meetkit.storage.database import Database

T = TypeVar("T")
_COLLISION_RETRIES = 8


@dataclass(frozen=True, slots=True)
class IssuedGroup:
    """A group together with its leader token, which is only known right after creation or renewal."""

    group: Group
    leader_token: str


@dataclass(frozen=True, slots=True)
class GroupView:
    """A group with its contact point, as pages and sheets show it."""

    group: Group
    contact_point: ContactPoint | None

    @property
    def display_name(self) -> str | None:
        """The group's name if its contact point allows showing it, else None."""
        if self.contact_point is not None and not self.contact_point.show_group_names:
            return None
        return self.group.name


def group_json(settings: Settings, group: Group, leader_token: str | None = None) -> dict[str, object]:
    """Return the JSON shape of a group used by the CLI and the API."""
    data: dict[str, object] = {
        "id": group.id,
        "name": group.name,
        "contact_point_id": group.contact_point_id,
        "room": group.room,
        "member_code": ids.format_member_code(group.member_code),
        "member_url": member_url(settings.public_url, group.member_code),
        "created_at": group.created_at,
        "renewed_at": group.renewed_at,
    }
    if settings.dialin_enabled:
        data["pin"] = group.pin
    if leader_token is not None:
        data["leader_url"] = leader_url(settings.public_url, leader_token)
    return data


def contact_point_json(contact_point: ContactPoint) -> dict[str, object]:
    """Return the JSON shape of a contact point."""
    return {
        "id": contact_point.id,
        "slug": contact_point.slug,
        "name": contact_point.name,
        "phone": contact_point.phone,
        "show_group_names": contact_point.show_group_names,
        "created_at": contact_point.created_at,
    }


async def add_contact_point(
    db: Database,
    scope: Scope,
    name: str,
    *,
    slug: str | None = None,
    phone: str | None = None,
    show_group_names: bool = True,
) -> ContactPoint:
    """Create a contact point (admins only); its slug comes from the name unless given."""
    scope.require_admin()
    name = clean_name(name, "Der Name der Kontaktstelle")
    slug = clean_slug(slug) if slug else slugify(name)
    phone = clean_phone(phone) if phone else None

    def insert(conn: Connection) -> ContactPoint:
        if contact_points.by_slug(conn, slug) is not None:
            raise Conflict(f"Eine Kontaktstelle mit der Kurzbezeichnung '{slug}' gibt es schon.")
        created = contact_points.insert(conn, slug, name, phone, show_group_names)
        record_in(conn, scope.actor, "contact_point_created", slug)
        return created

    return await db.write(insert)


async def list_contact_points(db: Database, scope: Scope) -> list[ContactPoint]:
    """Return the contact points within the scope (all for admins)."""
    return [c for c in await db.read(contact_points.all_) if scope.allows(c.id)]


async def get_contact_point(db: Database, scope: Scope, slug: str) -> ContactPoint:
    """Return the contact point with this slug or raise NotFound (also outside the scope)."""
    return await db.read(lambda conn: scoped_contact_point(conn, scope, slug))


async def add_group(
    db: Database, settings: Settings, scope: Scope, name: str, contact_point_slug: str | None = None
) -> IssuedGroup:
    """Create a group with a fresh random room, member code, leader token and (with dial-in) PIN.

    Without a contact point the group belongs to the actor's only contact point; only admins make groups
    that belong to none."""
    name = clean_name(name, "Der Gruppenname")
    leader_token = ids.new_secret_token()

    def insert(conn: Connection) -> Group:
        owner_id = contact_point_id(conn, scope, contact_point_slug)
        if owner_id is None and not scope.is_admin:
            owner_id = _only_contact_point(scope)
        created = insert_group_in(conn, settings, name, owner_id, leader_token)
        record_in(conn, scope.actor, "group_created", f"#{created.id} {created.name}")
        return created

    return IssuedGroup(await db.write(insert), leader_token)


def insert_group_in(
    conn: Connection, settings: Settings, name: str, owner_id: int | None, leader_token: str
) -> Group:
    """Insert a group with a fresh random room, member code and (with dial-in) PIN inside a write."""
    return retry_collisions(
        conn,
        lambda: groups.insert(
            conn,
            name=name,
            contact_point_id=owner_id,
            room=groups.fresh_room(conn),
            member_code=ids.new_member_code(),
            leader_token_hash=ids.hash_secret(leader_token),
            pin=dialin.fresh_pin(conn, settings.pin_digits) if settings.dialin_enabled else None,
        ),
    )


async def list_groups(db: Database, scope: Scope, contact_point_slug: str | None = None) -> list[Group]:
    """Return the groups within the scope, or those of one contact point."""

    def query(conn: Connection) -> list[Group]:
        if contact_point_slug is None:
            return [g for g in groups.all_(conn) if scope.allows(g.contact_point_id)]
        return groups.all_(conn, contact_point_id(conn, scope, contact_point_slug))

    return await db.read(query)


async def find_group(db: Database, scope: Scope, reference: str | int) -> Group:
    """Return the group named by id or by its unique name within the scope, or raise NotFound/InvalidInput."""
    return await db.read(lambda conn: scoped_group(conn, scope, reference))


async def rotate_group(db: Database, settings: Settings, scope: Scope, reference: str | int) -> IssuedGroup:
    """Give a group a new room, member code, leader token and PIN; the old ones stop working at once.

    The room changes too: members join Jitsi as guests with the room URL alone, so whoever kept an old
    member link could otherwise join every later meeting. Retired rooms are never issued again.
    """
    leader_token = ids.new_secret_token()

    def renew(conn: Connection) -> Group:
        group = scoped_group(conn, scope, reference)
        require_active(group)
        renewed = renew_secrets_in(conn, settings, group, leader_token)
        record_in(conn, scope.actor, "group_rotated", f"#{group.id} {group.name}")
        return renewed

    return IssuedGroup(await db.write(renew), leader_token)


def renew_secrets_in(conn: Connection, settings: Settings, group: Group, leader_token: str | None) -> Group:
    """Retire a group's room, member code, leader token and PIN and give it new ones.

    With `leader_token` None the group gets a leader token nobody knows and no PIN (archiving, deleting)."""
    old_leader_hash = groups.leader_token_hash_of(conn, group.id)
    issue_pin = leader_token is not None and settings.dialin_enabled
    return retry_collisions(
        conn,
        lambda: groups.renew_secrets(
            conn,
            group,
            old_leader_hash,
            room=groups.fresh_room(conn),
            member_code=ids.new_member_code(),
            member_code_hash_old=ids.hash_secret(group.member_code),
            leader_token_hash=ids.hash_secret(leader_token or ids.new_secret_token()),
            pin=dialin.fresh_pin(conn, settings.pin_digits) if issue_pin else None,
        ),
    )


async def group_for_member_code(db: Database, typed_code: str) -> GroupView:
    """Return the group behind a member link, or explain that the link was renewed or is unknown."""
    code = ids.normalize_member_code(typed_code)
    if code is None:
        raise NotFound("Diesen Link gibt es nicht.")

    def query(conn: Connection) -> GroupView:
        found = groups.with_contact_point_by_member_code(conn, code)
        if found is None:
            raise renewed_or_unknown(conn, "member", ids.hash_secret(code))
        return GroupView(*found)

    return await db.read(query)


async def group_for_leader_token(db: Database, token: str) -> GroupView:
    """Return the group behind a leader link, or explain that the link was renewed or is unknown."""
    token_hash = ids.hash_secret(token)

    def query(conn: Connection) -> GroupView:
        found = groups.with_contact_point_by_leader_token_hash(conn, token_hash)
        if found is None:
            raise renewed_or_unknown(conn, "leader", token_hash)
        return GroupView(*found)

    return await db.read(query)


async def group_view(db: Database, group_id: int) -> GroupView:
    """Return a group with its contact point by id, or raise NotFound."""
    found = await db.read(lambda conn: groups.with_contact_point_by_id(conn, group_id))
    if found is None:
        raise NotFound(f"Keine Gruppe mit der Nummer {group_id}.")
    return GroupView(*found)


def renewed_or_unknown(conn: Connection, kind: str, secret_hash: str) -> NotFound:
    """The error for a member code or leader token that is not current: LinkRenewed if it was, else NotFound."""
    group_id = groups.retired_group_id(conn, kind, secret_hash)
    found = groups.with_contact_point_by_id(conn, group_id) if group_id is not None else None
    if found is None or found[0].archived_at is not None:  # deleted or archived: it just stopped
        return NotFound("Diesen Link gibt es nicht.")
    contact_point = found[1]
    return LinkRenewed(
        "Dieser Link wurde erneuert und gilt nicht mehr.",
        contact_point.name if contact_point else None,
        contact_point.phone if contact_point else None,
    )


def contact_point_id(conn: Connection, scope: Scope, slug: str | None) -> int | None:
    """Return the id of the contact point with this slug (None for None), or raise NotFound."""
    return None if slug is None else scoped_contact_point(conn, scope, slug).id


def scoped_contact_point(conn: Connection, scope: Scope, slug: str) -> ContactPoint:
    """The contact point with this slug; one outside the scope is reported exactly like an unknown one."""
    found = contact_points.by_slug(conn, slug)
    if found is None or not scope.allows(found.id):
        raise NotFound(f"Keine Kontaktstelle mit der Kurzbezeichnung '{slug}'.")
    return found


def scoped_group(conn: Connection, scope: Scope, reference: str | int) -> Group:
    """The group named by id or unique name; groups outside the scope are reported exactly like unknown ones."""
    return find_by_reference(
        scope,
        reference,
        by_id=lambda number: groups.by_id(conn, number),
        by_name=lambda name: groups.by_name(conn, clean_name(name, "Der Gruppenname")),
        what="Gruppe",
        unknown_number=lambda text: NotFound(f"Keine Gruppe mit der Nummer {text}."),
        unknown_name=lambda text: NotFound(f"Keine Gruppe mit dem Namen '{text}'."),
        ambiguous=lambda text, numbers: InvalidInput(
            f"Mehrere Gruppen heißen '{text}' (Nummern {numbers}); bitte die Nummer angeben."
        ),
    )


def retry_collisions(conn: Connection, make: Callable[[], T]) -> T:
    """Call `make` again when a random value collided with a stored one (astronomically rare).

    Each try runs in a savepoint: PostgreSQL refuses every further statement of a transaction after an error
    unless it is rolled back to a savepoint."""
    for _ in range(_COLLISION_RETRIES - 1):
        try:
            with savepoint(conn):
                return make()
        except Exception as error:
            if not is_unique_violation(error):
                raise
    return make()


def require_active(group: Group) -> None:
    """Refuse to give an archived group working links (reactivating it does that)."""
    if group.archived_at is not None:
        raise InvalidInput(f"Die Gruppe „{group.name}“ ist archiviert; bitte zuerst wieder aktivieren.")


def _only_contact_point(scope: Scope) -> int:
    """The one contact point of a staff scope, for requests that name none."""
    if scope.contact_point_ids is not None and len(scope.contact_point_ids) == 1:
        return next(iter(scope.contact_point_ids))
    raise InvalidInput("Bitte die Kontaktstelle angeben, zu der die Gruppe gehört.")
