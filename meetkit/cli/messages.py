"""Operator-tool errors (copy, backup) as one CLI line in the command line's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from meetkit.cli.common import CommandError
from meetkit.cli.language import _

if TYPE_CHECKING:  # the copy and backup tools (psycopg) are imported by the commands that use them
    from meetkit.storage.endpoints import ToolError


def command_error(error: ToolError) -> CommandError:
    """The one-line CLI error for a tool error, in the CLI's language."""
    return CommandError(_(error.template).format(**error.values))
