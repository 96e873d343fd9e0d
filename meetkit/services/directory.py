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
from meetkit.domain.numbers import is_ascii_number, parse_id
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
    name: str,
    *,
    slug: str | None = None,
    phone: str | None = None,
    show_group_names: bool = True,
) -> ContactPoint:
    """Create a contact point; its slug comes from the name unless given."""
    name = clean_name(name, "Der Name der Kontaktstelle")
    slug = clean_slug(slug) if slug else slugify(name)
    phone = clean_phone(phone) if phone else None

    def insert(conn: Connection) -> ContactPoint:
        if contact_points.by_slug(conn, slug) is not None:
            raise Conflict(f"Eine Kontaktstelle mit der Kurzbezeichnung '{slug}' gibt es schon.")
        return contact_points.insert(conn, slug, name, phone, show_group_names)

    return await db.write(insert)


async def list_contact_points(db: Database) -> list[ContactPoint]:
    """Return all contact points."""
    return await db.read(contact_points.all_)


async def get_contact_point(db: Database, slug: str) -> ContactPoint:
    """Return the contact point with this slug or raise NotFound."""
    found = await db.read(lambda conn: contact_points.by_slug(conn, slug))
    if found is None:
        raise NotFound(f"Keine Kontaktstelle mit der Kurzbezeichnung '{slug}'.")
    return found


async def add_group(
    db: Database, settings: Settings, name: str, contact_point_slug: str | None = None
) -> IssuedGroup:
    """Create a group with a fresh random room, member code, leader token and (with dial-in) PIN."""
    name = clean_name(name, "Der Gruppenname")
    leader_token = ids.new_secret_token()

    def insert(conn: Connection) -> Group:
        owner_id = contact_point_id(conn, contact_point_slug)
        return _retry_collisions(
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

    return IssuedGroup(await db.write(insert), leader_token)


async def list_groups(db: Database, contact_point_slug: str | None = None) -> list[Group]:
    """Return all groups, or those of one contact point."""

    def query(conn: Connection) -> list[Group]:
        if contact_point_slug is None:
            return groups.all_(conn)
        return groups.all_(conn, contact_point_id(conn, contact_point_slug))

    return await db.read(query)


async def find_group(db: Database, reference: str | int) -> Group:
    """Return the group named by id or by its unique name, or raise NotFound/InvalidInput."""
    return await db.read(lambda conn: _find_group(conn, reference))


async def rotate_group(db: Database, settings: Settings, reference: str | int) -> IssuedGroup:
    """Give a group a new room, member code, leader token and PIN; the old ones stop working at once.

    The room changes too: members join Jitsi as guests with the room URL alone, so whoever kept an old
    member link could otherwise join every later meeting. Retired rooms are never issued again.
    """
    leader_token = ids.new_secret_token()

    def renew(conn: Connection) -> Group:
        group = _find_group(conn, reference)
        old_leader_hash = groups.leader_token_hash_of(conn, group.id)
        return _retry_collisions(
            conn,
            lambda: groups.renew_secrets(
                conn,
                group,
                old_leader_hash,
                room=groups.fresh_room(conn),
                member_code=ids.new_member_code(),
                member_code_hash_old=ids.hash_secret(group.member_code),
                leader_token_hash=ids.hash_secret(leader_token),
                pin=dialin.fresh_pin(conn, settings.pin_digits) if settings.dialin_enabled else None,
            ),
        )

    return IssuedGroup(await db.write(renew), leader_token)


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
    if found is None:
        return NotFound("Diesen Link gibt es nicht.")
    contact_point = found[1]
    return LinkRenewed(
        "Dieser Link wurde erneuert und gilt nicht mehr.",
        contact_point.name if contact_point else None,
        contact_point.phone if contact_point else None,
    )


def contact_point_id(conn: Connection, slug: str | None) -> int | None:
    """Return the id of the contact point with this slug (None for None), or raise NotFound."""
    if slug is None:
        return None
    found = contact_points.by_slug(conn, slug)
    if found is None:
        raise NotFound(f"Keine Kontaktstelle mit der Kurzbezeichnung '{slug}'.")
    return found.id


def _find_group(conn: Connection, reference: str | int) -> Group:
    reference = str(reference).strip()
    if is_ascii_number(reference):
        found = groups.by_id(conn, parse_id(reference, "Gruppe"))
        if found is None:
            raise NotFound(f"Keine Gruppe mit der Nummer {reference}.")
        return found
    matches = groups.by_name(conn, clean_name(reference, "Der Gruppenname"))
    if not matches:
        raise NotFound(f"Keine Gruppe mit dem Namen '{reference}'.")
    if len(matches) > 1:
        numbers = ", ".join(str(g.id) for g in matches)
        raise InvalidInput(
            f"Mehrere Gruppen heißen '{reference}' (Nummern {numbers}); bitte die Nummer angeben."
        )
    return matches[0]


def _retry_collisions(conn: Connection, make: Callable[[], T]) -> T:
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
