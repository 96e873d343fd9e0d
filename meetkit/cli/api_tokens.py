"""`meetkit api-token add|list|revoke`: staff tokens for the JSON API."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.language import _
from meetkit.cli.times import local_time
from meetkit.config import Settings
from meetkit.domain.models import ApiToken
from meetkit.domain.scope import OPERATOR

if TYPE_CHECKING:
    from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `api-token` command group."""
    parser = subparsers.add_parser("api-token", help=_("Zugangs-Tokens für die Staff-API verwalten"))
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar=_("UNTERBEFEHL"))

    add = commands.add_parser(
        "add", help=_("ein Token anlegen (nur einmal gezeigt; gespeichert wird nur ein Hash)")
    )
    add.add_argument("name", metavar="NAME", help=_("wer oder was es benutzt, z. B. „Verwaltung KISS“"))
    scope = add.add_mutually_exclusive_group(required=True)
    scope.add_argument("--admin", action="store_true", help=_("sieht und ändert alle Kontaktstellen"))
    scope.add_argument(
        "--contact-point",
        action="append",
        metavar="SLUG",
        dest="contact_points",
        help=_("nur diese Kontaktstelle (mehrfach angeben für mehrere)"),
    )
    add_json_flag(add)
    add.set_defaults(handler=add_token)

    listing = commands.add_parser("list", help=_("Tokens auflisten (nie die Tokens selbst)"))
    add_json_flag(listing)
    listing.set_defaults(handler=list_tokens)

    revoke = commands.add_parser("revoke", help=_("ein Token mit seiner Nummer widerrufen"))
    revoke.add_argument("id", type=int, metavar=_("NUMMER"))
    revoke.set_defaults(handler=revoke_token)


async def add_token(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Create a staff API token."""
    from meetkit.services import api_tokens

    slugs = None if args.admin else tuple(args.contact_points)
    record, token = await api_tokens.create_api_token(db, OPERATOR, args.name, slugs)
    emit(
        args,
        {"id": record.id, "name": record.name, "scope": _scope_json(record, slugs), "token": token},
        [token, "", _("Jetzt sicher aufbewahren: meetkit speichert nur einen Hash davon.")],
    )
    return 0


async def list_tokens(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """List staff API tokens."""
    from meetkit.services import api_tokens, directory

    found = await api_tokens.list_api_tokens(db, OPERATOR)
    slugs = {c.id: c.slug for c in await directory.list_contact_points(db, OPERATOR)}
    data = [
        {
            "id": t.id,
            "name": t.name,
            "scope": _scope_json(t, _slugs_of(t, slugs)),
            "created_at": t.created_at,
            "revoked_at": t.revoked_at,
        }
        for t in found
    ]
    emit(
        args,
        {"api_tokens": data},
        [
            f"{t.id}\t{t.name}\t{_scope_text(_slugs_of(t, slugs))}\t{_token_state(t.created_at, t.revoked_at)}"
            for t in found
        ],
    )
    return 0


async def revoke_token(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Revoke a staff API token."""
    from meetkit.services import api_tokens

    await api_tokens.revoke_api_token(db, OPERATOR, args.id)
    print(_("API-Token {number} ist widerrufen.").format(number=args.id))
    return 0


def _token_state(created_at: str, revoked_at: str | None) -> str:
    if revoked_at:
        return _("widerrufen am {time}").format(time=local_time(revoked_at))
    return _("aktiv seit {time}").format(time=local_time(created_at))


def _slugs_of(token: ApiToken, slugs: dict[int, str]) -> tuple[str, ...] | None:
    return None if token.contact_point_ids is None else tuple(slugs[i] for i in token.contact_point_ids)


def _scope_json(token: ApiToken, slugs: tuple[str, ...] | None) -> dict[str, object]:
    return {"admin": token.is_admin, "contact_points": list(slugs or ())}


def _scope_text(slugs: tuple[str, ...] | None) -> str:
    return _("Admin (alle Kontaktstellen)") if slugs is None else ", ".join(slugs)
