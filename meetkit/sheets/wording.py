"""A group's meeting rule in words for the sheet, in German, English and Leichte Sprache.

Days and times themselves come from meetkit/dates.py, the one format of pages and sheets.
"""

from __future__ import annotations

from meetkit.dates import clock
from meetkit.domain.accounts import N_
from meetkit.rendering import gettext_for
from meetkit.sheets.data import MeetingRule

WEEKDAYS = (
    N_("Montag"),
    N_("Dienstag"),
    N_("Mittwoch"),
    N_("Donnerstag"),
    N_("Freitag"),
    N_("Samstag"),
    N_("Sonntag"),
)
WEEKLY = N_("jeden %(weekday)s, %(start)s bis %(end)s Uhr")
BIWEEKLY = N_("jeden zweiten %(weekday)s, %(start)s bis %(end)s Uhr")
MONTHLY = {
    1: N_("jeden ersten %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
    2: N_("jeden zweiten %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
    3: N_("jeden dritten %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
    4: N_("jeden vierten %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
    5: N_("jeden fünften %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
    -1: N_("jeden letzten %(weekday)s im Monat, %(start)s bis %(end)s Uhr"),
}


def rule_in_words(rule: MeetingRule, lang: str) -> str | None:
    """The meeting rule as a phrase ("jeden Donnerstag, 19:00 bis 20:30 Uhr"); None for an unknown rule."""
    if rule.frequency == "weekly":
        message = WEEKLY
    elif rule.frequency == "biweekly":
        message = BIWEEKLY
    elif rule.frequency == "monthly" and rule.nth in MONTHLY:
        message = MONTHLY[rule.nth]
    else:
        return None  # a kind of schedule this sheet has no words for: the next dates say it all
    if not 0 <= rule.weekday < len(WEEKDAYS):
        return None
    _ = gettext_for(lang)
    words: str = _(message) % {
        "weekday": _(WEEKDAYS[rule.weekday]),
        "start": clock(rule.start),
        "end": clock(rule.end),
    }
    return words
