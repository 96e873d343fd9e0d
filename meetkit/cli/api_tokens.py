"""`meetkit api-token add|list|revoke`: staff tokens for the JSON API."""

from __future__ import annotations

import argparse
from typing import Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.config import Settings
from meetkit.services import api_tokens
from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `api-token` command group."""
    parser = subparsers.add_parser("api-token", help="manage staff API tokens")
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

    add = commands.add_parser("add", help="create a token (shown once; stored only as a hash)")
    add.add_argument("name", metavar="NAME", help="who or what uses it, e.g. 'Verwaltung KISS'")
    add_json_flag(add)
    add.set_defaults(handler=add_token)

    listing = commands.add_parser("list", help="list tokens (never the tokens themselves)")
    add_json_flag(listing)
    listing.set_defaults(handler=list_tokens)

    revoke = commands.add_parser("revoke", help="revoke a token by id")
    revoke.add_argument("id", type=int, metavar="ID")
    revoke.set_defaults(handler=revoke_token)


async def add_token(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Create a staff API token."""
    record, token = await api_tokens.create_api_token(db, args.name)
    emit(
        args,
        {"id": record.id, "name": record.name, "token": token},
        [token, "", "Store it now: meetkit keeps only its hash."],
    )
    return 0


async def list_tokens(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """List staff API tokens."""
    found = await api_tokens.list_api_tokens(db)
    data = [
        {"id": t.id, "name": t.name, "created_at": t.created_at, "revoked_at": t.revoked_at} for t in found
    ]
    emit(
        args,
        {"api_tokens": data},
        [f"{t.id}\t{t.name}\t{'revoked' if t.revoked_at else 'active'}" for t in found],
    )
    return 0


async def revoke_token(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Revoke a staff API token."""
    await api_tokens.revoke_api_token(db, args.id)
    print(f"API token {args.id} revoked.")
    return 0
