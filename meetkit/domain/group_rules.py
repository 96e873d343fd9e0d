"""The group rules members see on their page and on the sheet: a contact point's own text, or the default."""

from __future__ import annotations

import unicodedata

from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput

# The default, translated where it is shown; one text for member pages and sheets.
DEFAULT_RULES = (
    N_("Wir nennen nur unsere Vornamen."),
    N_("Niemand nimmt etwas auf: keine Ton- oder Videoaufnahmen, keine Fotos."),
    N_("Was in der Gruppe gesagt wird, bleibt in der Gruppe."),
)
MAX_RULE_LINES = 8  # the A4 sheet has room for about this many
MAX_RULE_LENGTH = 160  # characters per rule


def clean_rules(text: str) -> str | None:
    """A contact point's rules, one per line, spaces collapsed and empty lines dropped; None: the default."""
    lines = []
    for raw in text.splitlines():
        if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in raw if ch != "\t"):
            raise InvalidInput("Die Regeln enthalten Steuerzeichen.")
        line = " ".join(unicodedata.normalize("NFC", raw).split()).lstrip("•-* ").strip()
        if len(line) > MAX_RULE_LENGTH:
            raise InvalidInput(f"Eine Regel ist zu lang ({len(line)} Zeichen, höchstens {MAX_RULE_LENGTH}).")
        if line:
            lines.append(line)
    if len(lines) > MAX_RULE_LINES:
        raise InvalidInput(f"Höchstens {MAX_RULE_LINES} Regeln (eine pro Zeile); es sind {len(lines)}.")
    return "\n".join(lines) or None


def rule_lines(rules_text: str | None) -> tuple[str, ...]:
    """A contact point's own rules, one per line (empty: show the translated default)."""
    return tuple(rules_text.splitlines()) if rules_text else ()
