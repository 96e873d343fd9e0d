"""Every German message in templates and code has an English translation; catalogs load."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

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
    translated = _catalog_ids()
    messages = _messages()
    assert len(messages) > 20
    missing = sorted(messages - translated)  # an entry counts even when both languages agree ("PIN")
    assert missing == []


def test_german_is_the_source_language() -> None:
    assert translations("de").gettext("Jetzt teilnehmen") == "Jetzt teilnehmen"
    assert translations("en").gettext("Jetzt teilnehmen") == "Join now"


# Domain messages the command line prints: German source text raised as errors, translated where the CLI
# prints them (meetkit.cli.language.translate_message). Values in f-strings are `{name}` in the catalog.
DOMAIN_ERRORS = {"InvalidInput", "NotFound", "Conflict", "Unauthorized", "RateLimited", "FeatureDisabled"}
CLI_REACHABLE = ("domain", "services", "cli", "config.py")
LABELLED_CALLS = {"clean_name": 1}
# Messages whose source text is not German (none left: config.py's errors are German too).
ENGLISH_SOURCE: set[str] = set()  # clean_name(text, "Der Gruppenname", ...): the label is part of a message


def _template(node: ast.expr) -> str | None:
    """The message of a string or f-string node with every value as `{}`; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values)
    return None


@functools.cache
def _package_constants() -> dict[str, ast.expr]:
    """Module-level UPPER_CASE constants of the whole package, by name (for `module.MESSAGE`)."""
    found: dict[str, ast.expr] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id.isupper():
                        found[target.id] = node.value
    return found


def _domain_messages() -> set[str]:
    """Every message raised as a domain error in code the CLI runs, and every label passed to clean_name."""
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        if not str(path.relative_to(PACKAGE)).startswith(CLI_REACHABLE):
            continue
        tree = ast.parse(path.read_text())
        constants = {
            target.id: node.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            arguments: list[ast.expr] = []
            if node.func.id in DOMAIN_ERRORS and node.args:
                arguments = [node.args[0]]
            elif node.func.id in LABELLED_CALLS and len(node.args) > LABELLED_CALLS[node.func.id]:
                arguments = [node.args[LABELLED_CALLS[node.func.id]]]
            for argument in arguments:
                if isinstance(argument, ast.Name) and argument.id in constants:
                    argument = constants[argument.id]
                elif isinstance(argument, ast.Attribute) and argument.attr in _package_constants():
                    argument = _package_constants()[argument.attr]  # other_module.MESSAGE
                if (
                    isinstance(argument, ast.Call)
                    and getattr(argument.func, "id", "") == "N_"
                    and argument.args
                ):
                    argument = argument.args[0]  # MESSAGE = N_("..."): marked where it is defined
                template = _template(argument)
                assert template is not None, f"{path}:{node.lineno}: message is not a literal"
                found.add(template)
    return found


def _catalog_ids() -> set[str]:
    """Every message the English catalogs translate."""
    found = set()
    for po_file in sorted((PACKAGE / "locale" / "en").glob("*.po")):
        with po_file.open("rb") as po:
            for entry in read_po(po, locale="en"):
                if isinstance(entry.id, str) and entry.id and entry.string:
                    found.add(entry.id)
    return found


def _catalog_templates() -> set[str]:
    """Every translated message of the English catalogs, with each `{name}` as `{}`."""
    return {re.sub(r"\{\w+\}", "{}", message) for message in _catalog_ids()}


def test_every_domain_message_the_cli_prints_has_an_english_translation() -> None:
    messages = _domain_messages()
    assert len(messages) > 40
    assert sorted(messages - _catalog_templates() - ENGLISH_SOURCE) == []
