"""Use cases for staff API tokens."""

from __future__ import annotations

from meetkit.domain import ids
from meetkit.domain.errors import NotFound, Unauthorized
from meetkit.domain.models import ApiToken
from meetkit.domain.names import clean_name
from meetkit.storage import api_tokens
from meetkit.storage.database import Database

TOKEN_PREFIX = "mk_"  # noqa: S105 - a visible prefix, not a secret


async def create_api_token(db: Database, name: str) -> tuple[ApiToken, str]:
    """Create a staff API token; returns its record and the token, which is shown only once."""
    name = clean_name(name, "Der Name des Zugangs", max_length=100)
    token = TOKEN_PREFIX + ids.new_secret_token()
    record = await db.write(lambda conn: api_tokens.insert(conn, name, ids.hash_secret(token)))
    return record, token


async def check_api_token(db: Database, token: str | None) -> None:
    """Raise Unauthorized unless `token` is a valid, unrevoked staff API token."""
    if not token or not token.startswith(TOKEN_PREFIX):
        raise Unauthorized(
            "Für die Staff-API ist ein Zugangs-Token nötig: Header 'Authorization: Bearer mk_...'."
        )
    if not await db.read(lambda conn: api_tokens.is_valid(conn, ids.hash_secret(token))):
        raise Unauthorized("Dieses API-Token ist unbekannt oder widerrufen.")


async def list_api_tokens(db: Database) -> list[ApiToken]:
    """Return all token records."""
    return await db.read(api_tokens.all_)


async def revoke_api_token(db: Database, token_id: int) -> None:
    """Revoke a token by id or raise NotFound."""
    if not await db.write(lambda conn: api_tokens.revoke(conn, token_id)):
        raise NotFound(f"Kein aktives API-Token mit der Nummer {token_id}.")
