"""`meetkit audit`: the audit log of staff actions (who, what, when); `--json` keeps what is stored."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from meetkit.cli.common import add_json_flag, emit
from meetkit.cli.language import _
from meetkit.cli.times import local_time
from meetkit.config import Settings

if TYPE_CHECKING:
    from meetkit.storage.database import Database


def register(subparsers: Any) -> None:
    """Add the `audit` command."""
    parser = subparsers.add_parser("audit", help="show the audit log of staff actions, newest first")
    parser.add_argument("--limit", type=int, default=None, help="how many entries (default 200)")
    add_json_flag(parser)
    parser.set_defaults(handler=show_audit)


async def show_audit(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    """Print the latest audit entries."""
    from meetkit.audit_words import action_label, actor_label
    from meetkit.domain.scope import OPERATOR
    from meetkit.services import audit

    limit = audit.DEFAULT_LIMIT if args.limit is None else args.limit
    entries = await audit.latest(db, OPERATOR, max(1, min(limit, 100_000)))

    def who(actor: str | None) -> str:
        label = actor_label(actor)
        return _(label) if label else actor or "-"

    emit(
        args,
        {"audit": [audit.entry_json(e) for e in entries]},  # the machine words, for scripts
        [
            f"{local_time(e.at)}\t{who(e.actor)}\t{_(action_label(e.action))}\t{e.target or ''}"
            for e in entries
        ],
    )
    return 0
