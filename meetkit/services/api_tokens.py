"""Use cases for staff API tokens: admin tokens see everything, staff tokens only their contact points."""

from __future__ import annotations

from meetkit.domain import ids
from meetkit.domain.errors import InvalidInput, NotFound, Unauthorized
from meetkit.domain.models import ApiToken
from meetkit.domain.names import clean_name
from meetkit.domain.scope import Scope
from meetkit.services.audit import record_in
from meetkit.services.directory import scoped_contact_point
from meetkit.storage import api_tokens
from meetkit.storage.connection import Connection
from meetkit.storage.database import Database

TOKEN_PREFIX = "mk_"  # noqa: S105 - a visible prefix, not a secret


async def create_api_token(
    db: Database, scope: Scope, name: str, contact_point_slugs: tuple[str, ...] | None
) -> tuple[ApiToken, str]:
    """Create an admin token (slugs None) or one for these contact points; the token is shown only once."""
    scope.require_admin()
    name = clean_name(name, "Der Name des Zugangs", max_length=100)
    if contact_point_slugs is not None and not contact_point_slugs:
        raise InvalidInput("Ein Token gilt für alles (Admin) oder für mindestens eine Kontaktstelle.")
    token = TOKEN_PREFIX + ids.new_secret_token()

    def insert(conn: Connection) -> ApiToken:
        points = None
        if contact_point_slugs is not None:
            points = tuple(sorted({scoped_contact_point(conn, scope, s).id for s in contact_point_slugs}))
        record = api_tokens.insert(conn, name, ids.hash_secret(token), points)
        record_in(conn, scope.actor, "api_token_created", f"#{record.id} {record.name}")
        return record

    return await db.write(insert), token


async def scope_for_api_token(db: Database, token: str | None) -> Scope:
    """The scope of a valid, unrevoked staff API token; Unauthorized otherwise."""
    if not token or not token.startswith(TOKEN_PREFIX):
        raise Unauthorized(
            "Für die Staff-API ist ein Zugangs-Token nötig: Header 'Authorization: Bearer mk_...'."
        )
    record = await db.read(lambda conn: api_tokens.valid_by_hash(conn, ids.hash_secret(token)))
    if record is None:
        raise Unauthorized("Dieses API-Token ist unbekannt oder widerrufen.")
    ids_ = record.contact_point_ids
    return Scope(f"API-Token #{record.id}", None if ids_ is None else frozenset(ids_))


async def list_api_tokens(db: Database, scope: Scope) -> list[ApiToken]:
    """Return all token records (admins only)."""
    scope.require_admin()
    return await db.read(api_tokens.all_)


async def revoke_api_token(db: Database, scope: Scope, token_id: int) -> None:
    """Revoke a token by id (admins only) or raise NotFound."""
    scope.require_admin()

    def revoke(conn: Connection) -> bool:
        done = api_tokens.revoke(conn, token_id)
        if done:
            record_in(conn, scope.actor, "api_token_revoked", f"#{token_id}")
        return done

    if not await db.write(revoke):
        raise NotFound(f"Kein aktives API-Token mit der Nummer {token_id}.")
