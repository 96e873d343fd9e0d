"""Every German message in templates and code has an English translation; catalogs load."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir

from meetkit.rendering import translations

PACKAGE = Path(__file__).resolve().parent.parent / "meetkit"
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
OPTIONS = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _messages() -> set[str]:
    found = set()
    for _filename, _lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), METHOD_MAP, options_map=OPTIONS
    ):
        if isinstance(message, str):
            found.add(message)
    return found


def test_every_message_has_an_english_translation() -> None:
    english = translations("en")
    messages = _messages()
    assert len(messages) > 20
    missing = sorted(m for m in messages if english.gettext(m) == m)
    assert missing == []


def test_german_is_the_source_language() -> None:
    assert translations("de").gettext("Jetzt teilnehmen") == "Jetzt teilnehmen"
    assert translations("en").gettext("Jetzt teilnehmen") == "Join now"
