"""The CLI's language (German, English with LANG=en*) and translated operator-tool errors."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from meetkit.cli.common import CommandError
from meetkit.rendering import DEFAULT_LANGUAGE, gettext_for
from meetkit.storage.endpoints import ToolError


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """'en' when the locale (LC_ALL, else LC_MESSAGES, else LANG) is English, else German."""
    values = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = values.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def translator() -> Any:
    """The `_` function for the CLI's language."""
    return gettext_for(cli_language())


def command_error(error: ToolError) -> CommandError:
    """The one-line CLI error for a tool error, in the CLI's language."""
    return CommandError(translator()(error.template).format(**error.values))
