"""`meetkit user add|list|disable|reset`: staff accounts (no password ever on the command line)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.language import _
from meetkit.config import Settings
from meetkit.domain.scope import OPERATOR

if TYPE_CHECKING:
    from meetkit.services.accounts import SetupLink
    from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `user` command group."""
    parser = subparsers.add_parser("user", help="manage staff accounts for the web app")
    commands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")

    add = commands.add_parser(
        "add", help="create an account; prints a one-time setup_url to set the password"
    )
    add.add_argument("login", metavar="LOGIN", help="login name, e.g. the work e-mail address")
    add.add_argument("--name", help="display name")
    role = add.add_mutually_exclusive_group(required=True)
    role.add_argument("--admin", action="store_true", help="sees everything, manages accounts")
    role.add_argument(
        "--contact-point", action="append", metavar="SLUG", dest="contact_points", help="repeat for several"
    )
    add_json_flag(add)
    add.set_defaults(handler=add_user)

    listing = commands.add_parser("list", help="list accounts")
    add_json_flag(listing)
    listing.set_defaults(handler=list_users)

    disable = commands.add_parser("disable", help="disable an account; its sessions end at once")
    disable.add_argument("login", metavar="LOGIN")
    disable.set_defaults(handler=disable_user)

    reset = commands.add_parser(
        "reset", help="new one-time setup_url; password and second factor go, sessions end at once"
    )
    reset.add_argument("login", metavar="LOGIN")
    add_json_flag(reset)
    reset.set_defaults(handler=reset_user)

    export = commands.add_parser(
        "export", help=_("alles, was über ein Konto gespeichert ist, als JSON (Auskunft nach Art. 15 DSGVO)")
    )
    export.add_argument("login", metavar="LOGIN")
    export.add_argument(
        "-o", "--output", metavar=_("DATEI"), help=_("in DATEI schreiben statt auf die Standardausgabe")
    )
    export.set_defaults(handler=export_user)

    delete = commands.add_parser(
        "delete",
        help=_("ein Konto mit allem löschen; das Audit-Protokoll behält nur einen anonymen Verweis"),
    )
    delete.add_argument("login", metavar="LOGIN")
    add_json_flag(delete)
    delete.set_defaults(handler=delete_user)


def _link_lines(link: SetupLink) -> list[str]:
    if link.emailed_to:
        return [
            f"The setup link was e-mailed to {link.emailed_to} (valid once, until {link.expires_at} UTC)."
        ]
    return [link.url, "", f"Hand this link to the person: valid once, until {link.expires_at} UTC."]


async def add_user(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Create a staff account."""
    from meetkit.services import accounts

    account, link = await accounts.add_account(
        db,
        settings,
        OPERATOR,
        args.login,
        args.name,
        admin=args.admin,
        contact_point_slugs=args.contact_points or [],
    )
    data = {
        "id": account.id,
        "login": account.login,
        "role": account.role.value,
        "setup_url": link.shown_url,
        "emailed_to": link.emailed_to,
        "expires_at": link.expires_at,
    }
    emit(args, data, [f"Account {account.login} ({account.role.value}) created.", *_link_lines(link)])
    return 0


async def list_users(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """List staff accounts."""
    from meetkit.services import accounts

    found = await accounts.list_accounts(db, OPERATOR)
    slugs = {cp.id: cp.slug for cp in await accounts.visible_contact_points(db, OPERATOR)}
    data = [accounts.account_json(a, slugs) for a in found]
    lines = [
        f"{a.login}\t{a.role.value}\t{','.join(slugs.get(cp, str(cp)) for cp in a.contact_point_ids) or '-'}"
        f"\t{'disabled' if a.disabled else 'active'}"
        for a in found
    ]
    emit(args, {"users": data}, lines)
    return 0


async def disable_user(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Disable a staff account."""
    from meetkit.services import accounts

    account = await accounts.disable_account(db, OPERATOR, args.login)
    print(f"Account {account.login} disabled; its sessions have ended.")
    return 0


async def reset_user(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Give a staff account a new setup link."""
    from meetkit.services import accounts

    link = await accounts.reset_account(db, settings, OPERATOR, args.login)
    emit(
        args,
        {"login": args.login.strip().lower(), "setup_url": link.shown_url, "emailed_to": link.emailed_to},
        [f"Password and second factor of {args.login} removed; its sessions have ended.", *_link_lines(link)],
    )
    return 0


async def export_user(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Print (or write) everything stored about an account as one JSON document."""
    from meetkit.services import staff_data

    data = await staff_data.export_account(db, settings.secret, OPERATOR, args.login)
    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if args.output:
        await asyncio.to_thread(Path(args.output).write_text, text, encoding="utf-8")
        print(
            _("Auskunft über {login} in {path} geschrieben.").format(
                login=data["account"]["login"], path=args.output
            ),
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    return 0


async def delete_user(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Delete an account; its audit entries keep an anonymous reference."""
    from meetkit.services import staff_data

    account_id, rewritten = await staff_data.delete_account(db, settings.secret, OPERATOR, args.login)
    reference = staff_data.deleted_reference(account_id)
    emit(
        args,
        {"deleted": account_id, "reference": reference, "audit_entries_anonymised": rewritten},
        [
            _(
                "Konto #{id} gelöscht, mit Sitzungen, Links und Codes. {count} Audit-Einträge nennen es jetzt {reference}."
            ).format(id=account_id, count=rewritten, reference=reference)
        ],
    )
    return 0
