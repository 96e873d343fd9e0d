"""Every public page speaks German, English and Leichte Sprache, and links the privacy notice in that language.

Issue 15: every msgid of every template outside templates/staff/ (but the print templates below) has an
English and a Leichte Sprache entry; pages under `lang=en` show no German; domain errors are translated.
Issue 16: every public page links /datenschutz in its own language.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from meetkit.config import Settings
from meetkit.domain.attendance_times import local_today
from meetkit.messages import translate_message
from meetkit.web.keys import DATABASE
from tests.public_pages import seed_public_pages

PACKAGE = Path(__file__).resolve().parent.parent / "meetkit"
TEMPLATES = PACKAGE / "templates"
# Printed for operators and staff (German or English, never handed to members): no Leichte Sprache.
PRINT_TEMPLATES = {
    "privacy_report.html",  # the operator's records of processing (issue 16)
    "loan_form.html",  # the loan receipt staff print
    "invite_letter.html",  # the letter staff send a future leader
    "leader_letter.html",  # the letter staff send a leader
}


def _catalog(lang: str) -> set[str]:
    """The (singular) ids every catalog of `lang` translates."""
    found = set()
    for po_file in sorted((PACKAGE / "locale" / lang).glob("*.po")):
        with po_file.open("rb") as po:
            for entry in read_po(po, locale=lang):
                text = entry.string if isinstance(entry.string, str) else entry.string[0]
                if entry.id and text:
                    found.add(entry.id if isinstance(entry.id, str) else entry.id[0])
    return found


def _public_messages() -> dict[str, set[str]]:
    """Each public template's messages (singular forms), by file name."""
    found: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.glob("*.html")):
        if path.name in PRINT_TEMPLATES:
            continue
        for _lineno, message, _comments, _context in extract_from_file(
            "jinja2", str(path), options={"extensions": "jinja2.ext.i18n"}
        ):
            if message:
                found.setdefault(path.name, set()).add(message if isinstance(message, str) else message[0])
    return found


def test_every_public_message_has_english_and_leichte_sprache() -> None:
    messages = _public_messages()
    assert {"leader.html", "kiosk_message.html", "error.html", "group_tablet.html"} <= set(messages)
    for lang in ("en", "ls"):
        translated = _catalog(lang)
        missing = {name: sorted(found - translated) for name, found in messages.items() if found - translated}
        assert missing == {}, lang


def _text(page: str) -> str:
    """What a reader sees: the page without scripts, tags and entities."""
    page = re.sub(r"<(script|style|template)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _german_phrases() -> set[str]:
    """Literal German text (15 characters or more) of every message whose English differs."""
    gettext_en, phrases = translate_message, set()
    for message in _catalog("en"):
        if gettext_en(message, "en") == message:
            continue  # "PIN", names of languages
        for part in re.split(r"%\(\w+\)s|\{\w+\}", message):
            if len(part.strip()) >= 15:
                phrases.add(part.strip())
    return phrases


async def test_public_pages_in_three_languages_link_the_privacy_notice(
    client: TestClient[web.Request, web.Application], settings: Settings
) -> None:
    pages = await seed_public_pages(client.app[DATABASE], settings)
    german = _german_phrases()
    for name, path in pages.paths.items():
        for lang in ("de", "en", "ls"):
            response = await client.get(f"{path}?lang={lang}")
            page = await response.text()
            assert response.status == (404 if name == "error" else 200), (name, lang)
            notice = "/datenschutz" if lang == "de" else f"/datenschutz?lang={lang}"
            if name == "sheet":  # the printed sheet's privacy line links the notice in full
                notice = settings.public_url + notice
            assert f'href="{notice}"' in page, (name, lang)  # issue 16: in the page's language
            assert f'<html lang="{"en" if lang == "en" else "de"}"' in page, (name, lang)
            if name != "sheet":  # the sheet's own type is large already: no easy-read class
                assert ('class="easy-read"' in page) == (lang == "ls"), (name, lang)
            if lang == "en":
                switch = r'<nav class="lang-switch.*?</nav>'  # each language is named in its own words
                shown = _text(re.sub(switch, " ", page, flags=re.DOTALL))
                assert sorted(p for p in german if p in shown) == [], name
    unpaired = await (await client.get("/kiosk?lang=en")).text()
    assert "This tablet is not paired." in unpaired
    easy = await (await client.get(f"{pages.paths['kiosk-pair']}?lang=ls")).text()
    assert "Tablet koppeln" not in _text(easy).replace("Dieses Tablet koppeln", "")


async def test_domain_errors_on_public_pages_are_translated(
    client: TestClient[web.Request, web.Application], settings: Settings
) -> None:
    pages = await seed_public_pages(client.app[DATABASE], settings)
    leader = pages.paths["leader"]
    shown = {}
    for lang in ("de", "en", "ls"):
        response = await client.post(
            f"{leader}/attendance?lang={lang}",
            data={"date": str(local_today()), "in_room": "viele", "phone": ""},
        )
        assert response.status == 400
        page = await response.text()
        found = re.search(r'id="hc-error" role="alert">([^<]+)<', page)
        assert found, lang
        shown[lang] = html.unescape(found.group(1))
        # the language switch of the answer leads to the leader page, not to a GET of the form's address
        other = "en" if lang != "en" else "de"
        assert f'href="{leader}?lang={other}"' in page, lang
        assert (await client.get(f"{leader}?lang={other}")).status == 200
    assert len(set(shown.values())) == 3, shown
    counted = "Die Anzahl im Raum muss eine ganze Zahl von 0 bis 7 sein."  # matched by a `{name}` pattern
    assert translate_message(counted, "en").startswith("The number in the room")
    assert translate_message(counted, "ls") != translate_message(counted, "en")  # never English in ls


def test_no_message_has_two_translations_in_one_language() -> None:
    """The catalogs of one language are merged: a message translated twice shows only one of them."""
    for lang in ("en", "ls"):
        seen: dict[str, tuple[str, str]] = {}
        twice = []
        for po_file in sorted((PACKAGE / "locale" / lang).glob("*.po")):
            with po_file.open("rb") as po:
                for entry in read_po(po, locale=lang):
                    key = entry.id if isinstance(entry.id, str) else entry.id[0]
                    text = entry.string if isinstance(entry.string, str) else entry.string[0]
                    first = seen.setdefault(key, (po_file.name, text))
                    if key and first[1] != text:
                        twice.append((key, first[0], po_file.name))
        assert twice == [], lang
