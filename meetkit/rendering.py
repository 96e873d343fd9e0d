"""The Jinja2 environment shared by pages and sheets, with Babel catalogs per language."""

from __future__ import annotations

import datetime as dt
import gettext
from functools import cache
from importlib import resources
from io import BytesIO
from typing import Any

import jinja2
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from meetkit.dates import local_time, month_in_words
from meetkit.domain.group_rules import DEFAULT_RULES

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"  # German is the source language of every message
EASY_READ = "ls"  # Leichte Sprache: German in easy words, for the pages that have it (web/i18n.py)
CATALOG_LANGUAGES = ("en", EASY_READ)  # meetkit/locale/<lang>/*.po; a message missing there shows in German
# Every page language with its name in itself and its HTML language tag (Leichte Sprache is German).
PAGE_LANGUAGES = (("de", "Deutsch", "de"), ("en", "English", "en"), (EASY_READ, "Leichte Sprache", "de"))


def with_language(path: str, lang: str) -> str:
    """`path` (or a full address) in `lang`: German needs no query."""
    return path if lang == DEFAULT_LANGUAGE else f"{path}?lang={lang}"


def other_languages(lang: str, path: str = "") -> list[dict[str, str]]:
    """Global `other_languages`: the language switch's links to `path` (empty: this page) in every other language."""
    return [
        {"href": f"{path}?lang={code}", "name": name, "hreflang": tag}
        for code, name, tag in PAGE_LANGUAGES
        if code != lang
    ]


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """Return the merged catalog of every `meetkit/locale/<lang>/*.po` (German needs none)."""
    if lang not in CATALOG_LANGUAGES:
        return gettext.NullTranslations()
    merged = Catalog(locale=lang)
    folder = resources.files("meetkit") / "locale" / lang
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".po"):
            with entry.open("rb") as po:
                for message in read_po(po, locale=lang):
                    if message.id and message.string:
                        merged[message.id] = message
    buffer = BytesIO()
    write_mo(buffer, merged)
    buffer.seek(0)
    return Translations(buffer)


def gettext_for(lang: str) -> Any:
    """Return the `_` function for one language, for code outside templates."""
    return translations(lang).gettext


@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    return translations(context.get("lang", DEFAULT_LANGUAGE)).gettext(message)


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return translations(context.get("lang", DEFAULT_LANGUAGE)).ngettext(singular, plural, n)


@jinja2.pass_context
def _message(context: jinja2.runtime.Context, message: str) -> str:
    """Filter `message`: a German domain message (a form's error) in the page's language, values kept."""
    from meetkit.messages import translate_message  # it reads these catalogs: imported when first used

    return translate_message(message, context.get("lang", DEFAULT_LANGUAGE))


@jinja2.pass_context
def _decimal(context: jinja2.runtime.Context, number: float) -> str:
    """Filter `decimal`: a number as the page's language writes it (German 4,5; English 4.5)."""
    from babel.numbers import format_decimal

    lang = context.get("lang", DEFAULT_LANGUAGE)
    return str(format_decimal(number, format="#,##0.#", locale="en" if lang == "en" else "de"))


@jinja2.pass_context
def _month(context: jinja2.runtime.Context, month: str) -> str:
    """Filter `month`: `YYYY-MM` as the page's language names it ("November 2026")."""
    return month_in_words(month, context.get("lang", DEFAULT_LANGUAGE))


@jinja2.pass_context
def _local_time(context: jinja2.runtime.Context, stored: str | dt.datetime | None) -> str:
    """Filter `local_time`: a stored UTC moment in local time as the page's language writes it (none: empty)."""
    return "" if stored is None else local_time(stored, context.get("lang", DEFAULT_LANGUAGE), unbroken=True)


@cache
def environment() -> jinja2.Environment:
    """Return the one template environment; the language comes from each render's `lang` variable."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("meetkit", "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the package: no stat() per render (six per member page)
    )
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["message"] = _message
    env.filters["decimal"] = _decimal
    env.filters["month"] = _month
    env.filters["local_time"] = _local_time
    env.globals["default_rules"] = DEFAULT_RULES  # member pages and sheets show the same rules
    env.globals["other_languages"] = other_languages
    return env
