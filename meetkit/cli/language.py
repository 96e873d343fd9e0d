"""The command line's language (German; English when the locale says `en`) through the web's Babel catalogs."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

# The Babel catalogs (and with them Jinja2 and Babel) are loaded only when a message is shown in English:
# German, the source language, needs none, and `meetkit --help` stays fast (tests/test_cli_startup.py).
DEFAULT_LANGUAGE = "de"  # the same as meetkit.rendering.DEFAULT_LANGUAGE, which the startup test checks
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # the first one set decides, as for every POSIX program
PATTERN_CATALOG = "cli.po"  # English for domain messages with values: `{name}` marks each value
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
TRANSLATED_VALUES = frozenset({"label", "weekday", "other_weekday", "day", "rule"})  # German text, not data
_WEEKDAYS = re.compile(r"\b(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)\b")


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
    """Return a German domain message in the command line's language.

    Messages with values match catalog entries whose `{name}` marks a value; values named in
    TRANSLATED_VALUES are German text themselves (a label, a weekday, a rule) and are translated too,
    all others (names, numbers, what someone typed) are kept as they are.
    """
    if cli_language() == DEFAULT_LANGUAGE:
        return message
    english = _(message)
    if english != message:
        return english
    for pattern, template, _literal in _patterns():
        match = pattern.fullmatch(message)
        if match:
            values = match.groupdict()
            return template.format(
                **{k: translate_message(v) if k in TRANSLATED_VALUES else v for k, v in values.items()}
            )
    return _WEEKDAYS.sub(lambda weekday: _(weekday.group(1)), message)


@cache
def _patterns() -> list[tuple[re.Pattern[str], str, int]]:
    """The catalog's messages with `{name}` values as patterns, the most specific (most literal text) first."""
    from babel.messages.pofile import read_po

    found = []
    with (resources.files("meetkit") / "locale" / "en" / PATTERN_CATALOG).open("rb") as po:
        for entry in read_po(po, locale="en"):
            if not isinstance(entry.id, str) or not entry.string or not _PLACEHOLDER.search(entry.id):
                continue
            parts = _PLACEHOLDER.split(entry.id)  # literal, name, literal, name, ..., literal
            regex = "".join(
                re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
            )
            literal = sum(len(part) for part in parts[::2])
            found.append((re.compile(regex, re.DOTALL), str(entry.string), literal))
    return sorted(found, key=lambda item: -item[2])
