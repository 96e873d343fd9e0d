"""Domain messages in the reader's language: German source, English or Leichte Sprache from the catalogs."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from babel.messages.pofile import read_po

from meetkit.rendering import CATALOG_LANGUAGES, translations

# A translation of a domain message with values (`{name}` marks each value) comes from every feature's
# catalog of that language; a message without one stays German (Leichte Sprache is German in easy words).
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
TRANSLATED_VALUES = frozenset({"label", "weekday", "other_weekday", "day", "rule"})  # German text, not data
_WEEKDAYS = re.compile(r"\b(Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)\b")


def translate_message(message: str, lang: str) -> str:
    """Return a German domain message in `lang` (pages and the command line alike).

    Messages with values match catalog entries whose `{name}` marks a value; values named in
    TRANSLATED_VALUES are German text themselves (a label, a weekday, a rule) and are translated too,
    all others (names, numbers, what someone typed) are kept as they are.
    """
    if lang not in CATALOG_LANGUAGES:
        return message  # German, the source language
    gettext = translations(lang).gettext
    translated = gettext(message)
    if translated != message:
        return translated
    for pattern, template, _literal in _patterns(lang):
        match = pattern.fullmatch(message)
        if match:
            values = match.groupdict()
            return template.format(
                **{k: translate_message(v, lang) if k in TRANSLATED_VALUES else v for k, v in values.items()}
            )
    return _WEEKDAYS.sub(lambda weekday: gettext(weekday.group(1)), message)


@cache
def _patterns(lang: str) -> list[tuple[re.Pattern[str], str, int]]:
    """One language's messages with `{name}` values as patterns, the most specific (most literal text) first."""
    found = []
    folder = resources.files("meetkit") / "locale" / lang
    for catalog in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if not catalog.name.endswith(".po"):
            continue
        with catalog.open("rb") as po:
            for entry in read_po(po, locale=lang):
                if not isinstance(entry.id, str) or not entry.string or not _PLACEHOLDER.search(entry.id):
                    continue
                parts = _PLACEHOLDER.split(entry.id)  # literal, name, literal, name, ..., literal
                if len(set(parts[1::2])) != len(parts[1::2]):
                    continue  # a name twice is no pattern
                regex = "".join(
                    re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
                )
                literal = sum(len(part) for part in parts[::2])
                found.append((re.compile(regex, re.DOTALL), str(entry.string), literal))
    return sorted(found, key=lambda item: -item[2])
