"""The command line's language (German; English when the locale says `en`) through the web's Babel catalogs."""

from __future__ import annotations

import os
from collections.abc import Mapping

from meetkit import messages
from meetkit.rendering import DEFAULT_LANGUAGE, translations

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # the first one set decides, as for every POSIX program


def cli_language(environ: Mapping[str, str] | None = None) -> str:
    """Return 'en' when the first set of LC_ALL, LC_MESSAGES, LANG starts with `en`, else 'de'."""
    values = os.environ if environ is None else environ
    for name in LOCALE_VARIABLES:
        value = values.get(name, "")
        if value:
            return "en" if value.lower().startswith("en") else DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


def _(message: str) -> str:
    """Return `message` (German source) in the command line's language."""
    return translations(cli_language()).gettext(message)


def N_(message: str) -> str:
    """Mark `message` for the catalogs where it is defined; `_()` translates it where it is shown."""
    return message


def translate_message(message: str) -> str:
    """Return a German domain message in the command line's language (see meetkit/messages.py)."""
    return messages.translate_message(message, cli_language())
