"""Leader invitations, guest links and hand-over links: how long they hold and when they may be used."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from meetkit.domain.accounts import N_
from meetkit.domain.devices import timestamp
from meetkit.domain.errors import InvalidInput
from meetkit.domain.names import clean_name
from meetkit.domain.numbers import parse_count
from meetkit.domain.schedules import TIMEZONE

INVITATION_DAYS = 14  # default lifetime of an invitation
MAX_INVITATION_DAYS = 90
HANDOVER_DAYS = 14
GUEST_DAYS_AHEAD = 366  # a guest link may be made for a date up to a year ahead
MAX_OPEN_GUEST_LINKS = 20  # per group: enough for every guest of a year's meetings, no more
REPLAY_MINUTES = 30  # the same form sent again within this finds what the first one made
MAX_GROUP_NAME_LENGTH = 120  # a group's name as a leader types it (it is printed on sheets)

INVITATION_UNUSABLE = N_("Diese Einladung gilt nicht mehr.")
INVITATION_USED = N_("Diese Einladung wurde schon benutzt: die Gruppe ist angelegt.")
INVITATION_EXPIRED = N_("Diese Einladung ist abgelaufen.")
INVITATION_WITHDRAWN = N_("Diese Einladung wurde von der Kontaktstelle zurückgezogen.")
HANDOVER_UNUSABLE = N_("Dieser Übergabe-Link gilt nicht mehr: er wurde schon benutzt oder ist abgelaufen.")
GUEST_EXPIRED = N_("Dieser Gast-Link galt nur für ein Treffen, das vorbei ist.")
LINK_UNKNOWN = N_("Diesen Link gibt es nicht.")
DAYS_OUT_OF_RANGE = N_("Eine Einladung gilt 1 bis 90 Tage.")  # MAX_INVITATION_DAYS
GUEST_DATE_PAST = N_("Ein Gast-Link gilt für ein kommendes Treffen: dieses Datum liegt in der Vergangenheit.")
GUEST_DATE_FAR = N_("Ein Gast-Link kann höchstens ein Jahr im Voraus erstellt werden.")


@dataclass(frozen=True, slots=True)
class Invitation:
    """A contact point's invitation to a leader (its token only as a hash, never here)."""

    id: int
    contact_point_id: int
    created_by: str | None
    created_at: str
    expires_at: str
    withdrawn_at: str | None
    used_at: str | None
    group_id: int | None

    def problem(self, now: dt.datetime) -> str | None:
        """Why the invitation cannot be used at `now` (a message), or None while it is open."""
        if self.used_at is not None:
            return INVITATION_USED
        if self.withdrawn_at is not None:
            return INVITATION_WITHDRAWN
        if self.expires_at <= timestamp(now):
            return INVITATION_EXPIRED
        return None


def valid_days(text: str | int) -> int:
    """The number of days an invitation holds, 1 to MAX_INVITATION_DAYS; raises InvalidInput."""
    days = parse_count(text, "Die Gültigkeit in Tagen") if isinstance(text, str) else text
    if not 1 <= days <= MAX_INVITATION_DAYS:
        raise InvalidInput(DAYS_OUT_OF_RANGE)
    return days


def expiry(now: dt.datetime, days: int) -> str:
    """The stored expiry of a link made at `now` that holds `days` days."""
    return timestamp(now + dt.timedelta(days=days))


def local_day(now: dt.datetime) -> dt.date:
    """The local date (Europe/Berlin) of a moment."""
    return now.astimezone(TIMEZONE).date()


def check_guest_date(day: dt.date, now: dt.datetime) -> dt.date:
    """A guest link's date: today or later, at most a year ahead; raises InvalidInput."""
    today = local_day(now)
    if day < today:
        raise InvalidInput(GUEST_DATE_PAST)
    if day > today + dt.timedelta(days=GUEST_DAYS_AHEAD):
        raise InvalidInput(GUEST_DATE_FAR)
    return day


def derived_leader_token(secret: str, one_time_token: str, submission: str) -> str:
    """The leader token a form submission with a one-time link creates.

    A keyed hash of two random 256-bit values, so as unguessable as a random token; the same submission sent
    twice (a double click, a reload) arrives at the same leader link, and one group, instead of a dead end.
    """
    key = hashlib.sha256(("leader-token:" + secret).encode()).digest()
    digest = hmac.new(key, f"{one_time_token}:{submission}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def replay_allowed(used_at: str | None, now: dt.datetime) -> bool:
    """Whether a repeated submission still finds what the first one made (shortly after it)."""
    return used_at is not None and timestamp(now - dt.timedelta(minutes=REPLAY_MINUTES)) < used_at


NAME_EMPTY = N_("Bitte geben Sie Ihrer Gruppe einen Namen.")
NAME_TOO_LONG = N_("Dieser Name ist zu lang: bitte höchstens 120 Zeichen.")
NAME_UNPRINTABLE = N_(
    "Der Name enthält Zeichen, die sich nicht drucken lassen. Bitte nur Buchstaben, Ziffern und Satzzeichen."
)


def clean_group_name(text: str) -> str:
    """A group's name as a leader typed it, cleaned; raises InvalidInput with a message for the leader."""
    try:
        return clean_name(text, "Der Gruppenname", MAX_GROUP_NAME_LENGTH)
    except InvalidInput:
        cleaned = " ".join(text.split())
        if not cleaned:
            raise InvalidInput(NAME_EMPTY) from None
        if len(cleaned) > MAX_GROUP_NAME_LENGTH:
            raise InvalidInput(NAME_TOO_LONG) from None
        raise InvalidInput(NAME_UNPRINTABLE) from None
