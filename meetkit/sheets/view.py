"""Turn SheetData into what the sheet templates show (formatted, translated, escaped)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from babel import Locale
from markupsafe import Markup, escape

from meetkit.dates import babel_locale, format_meeting
from meetkit.domain.accounts import N_
from meetkit.qr import qr_svg
from meetkit.rendering import gettext_for, with_language
from meetkit.schedule_words import MeetingRule, rule_in_words
from meetkit.sheets.data import SheetData, group_pin

MAX_MEETINGS = 3  # dates shown on the A4 sheet
MAX_NUMBERS = 4  # dial-in numbers shown on the A4 sheet (cards show the first)
NBSP = "\u00a0"  # keeps a date on one line without a styled element (WeasyPrint lays those out slowly)
MAX_CARD_RULES = 110  # characters of a contact point's own rules on a card
MAX_CONTACT_POINT_NAME = 100  # characters; the name is stored with up to 300
QR_ALT = N_("QR-Code mit der Adresse unserer Gruppe")


@dataclass(frozen=True, slots=True)
class NumberLine:
    """One dial-in number as printed: country name (in the sheet's language) and number."""

    country: str
    number: str


@dataclass(frozen=True, slots=True)
class SheetView:
    """One sheet, ready for the templates."""

    lang: str  # de, en or ls (Leichte Sprache)
    html_lang: str  # the language tag of the text: Leichte Sprache is German
    title: str | None
    title_size: str
    card_title_size: str
    qr: Markup
    member_url: str
    link: str
    link_size: str
    card_link_html: Markup
    pin: str | None
    numbers: tuple[NumberLine, ...]
    meetings: tuple[str, ...]
    contact_point_name: str | None
    help_phone: str | None
    compact: bool
    privacy_link: str  # the privacy notice (/datenschutz) as printed
    privacy_url: str  # the same as a link (on screen and in the PDF), in the sheet's language
    practice_link: str | None = None  # the practice room's page as printed, where staff want it
    practice_url: str | None = None  # the same as a link, in the sheet's language
    rules: tuple[str, ...] = ()  # the contact point's own rules (empty: the default ones)
    card_rules: str | None = None  # the same on one line, short enough for a card
    rule: str | None = None  # how often the group meets, in words ("jeden Donnerstag, 19:00 bis 20:30 Uhr")
    place: str | None = None  # where the group meets in person


def size_class(text: str | None, limits: tuple[int, int, int]) -> str:
    """CSS size class for a text: "l", "m", "s" or "xs" by its length."""
    length = len(text or "")
    for cls, limit in zip(("l", "m", "s"), limits, strict=True):
        if length <= limit:
            return cls
    return "xs"


def printed_link(url: str) -> str:
    """The link as printed: without "https://", which browsers add themselves; "http://" stays."""
    return url.removeprefix("https://")


def card_link_html(text: str, max_part: int) -> Markup:
    """The printed link on two lines, host and path, so it never breaks at a hyphen in the host.

    When host or path is longer than `max_part` characters the link may break anywhere instead.
    """
    host, slash, path = text.partition("/") if "://" not in text else _split_after_scheme(text)
    if not slash or len(host) > max_part or len(path) + 1 > max_part:
        return escape(text)
    return Markup("%s<br>%s") % (host, slash + path)


def _split_after_scheme(text: str) -> tuple[str, str, str]:
    scheme, _, rest = text.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme}://{host}", slash, path


def shorten(text: str | None, limit: int) -> str | None:
    """`text` cut at a word boundary to at most `limit` characters (with "…"), None stays None."""
    if text is None or len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:-–") + "…"


def country_name(code: str, lang: str) -> str:
    """The country's name in the sheet's language; the code itself when unknown."""
    return str(Locale.parse(babel_locale(lang)).territories.get(code.upper(), code.upper()))


def accessible_qr(url: str, alt: str) -> Markup:
    """The QR code's SVG with its text alternative as <title> (the PDF's Figure /Alt) and hidden from
    screen readers in the browser, where the wrapping element carries the same text as its label."""
    svg = qr_svg(url).replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    head, _, rest = svg.partition(">")
    return Markup("%s><title>%s</title>%s") % (Markup(head), alt, Markup(rest))  # noqa: S704 - our own SVG


def _at_rule_time(meeting: dt.datetime, rule_text: str | None, rule: MeetingRule | None, tz: str) -> bool:
    """Whether the rule in words already says this meeting's time (an extra date may have its own)."""
    if rule_text is None or rule is None:
        return False
    local = meeting.astimezone(ZoneInfo(tz)) if meeting.tzinfo is not None else meeting
    return local.time() == rule.start


def sheet_view(data: SheetData, compact: bool = False) -> SheetView:
    """Prepare one sheet: the first MAX_MEETINGS meetings in time order."""
    name = " ".join((data.group_name or "").split()) or None
    link = printed_link(data.member_url)
    meetings = sorted(data.next_meetings)
    numbers = tuple(
        NumberLine(country_name(n.country_code, data.lang), n.formatted_number.replace(" ", NBSP))
        for n in data.dial_in_numbers[:MAX_NUMBERS]
    )
    privacy_url = data.member_url.rsplit("/j/", 1)[0] + "/datenschutz"
    rule = data.rule
    rule_text = rule_in_words(rule, data.lang) if rule else None
    return SheetView(
        lang=data.lang,
        html_lang=babel_locale(data.lang),
        title=name,
        title_size=size_class(name, (40, 80, 150)),
        card_title_size=size_class(name, (30, 60, 100)),
        qr=accessible_qr(data.member_url, gettext_for(data.lang)(QR_ALT)),
        member_url=data.member_url,
        link=link,
        link_size=size_class(link, (36, 44, 52)),
        card_link_html=card_link_html(link, 30),
        pin=group_pin(data.pin) if data.has_phone and data.pin else None,
        numbers=numbers if data.has_phone else (),
        meetings=tuple(
            format_meeting(
                m, data.lang, data.timezone, with_time=not _at_rule_time(m, rule_text, rule, data.timezone)
            ).replace(" ", NBSP)
            for m in meetings[:MAX_MEETINGS]
        ),
        contact_point_name=shorten(data.contact_point_name, MAX_CONTACT_POINT_NAME),
        help_phone=data.help_phone.replace(" ", NBSP) if data.help_phone else None,
        compact=compact,
        privacy_link=printed_link(privacy_url),
        privacy_url=with_language(privacy_url, data.lang),
        practice_link=printed_link(data.practice_url) if data.practice_url else None,
        practice_url=with_language(data.practice_url, data.lang) if data.practice_url else None,
        rules=data.rules,
        card_rules=shorten(" ".join(data.rules), MAX_CARD_RULES) if data.rules else None,
        rule=rule_text,
        place=rule.place if rule else None,
    )
