"""The command line's language (German; English when the locale says `en`) through the web's Babel catalogs."""

from __future__ import annotations

import os
from collections.abc import Mapping

# The Babel catalogs (and with them Jinja2 and Babel) are loaded only when a message is shown in English:
# German, the source language, needs none, and `meetkit --help` stays fast (tests/test_cli_startup.py).
DEFAULT_LANGUAGE = "de"  # the same as meetkit.rendering.DEFAULT_LANGUAGE, which the startup test checks
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
    language = cli_language()
    if language == DEFAULT_LANGUAGE:
        return message
    from meetkit.rendering import translations

    return translations(language).gettext(message)


def N_(message: str) -> str:
    """Mark `message` for the catalogs where it is defined; `_()` translates it where it is shown."""
    return message


def translate_message(message: str) -> str:
    """Return a German domain message in the command line's language (see meetkit/messages.py)."""
    language = cli_language()
    if language == DEFAULT_LANGUAGE:
        return message
    from meetkit import messages

    return messages.translate_message(message, language)
