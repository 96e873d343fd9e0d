"""The data inventory's vocabulary: purposes of processing, tables and columns, and the words they share."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from meetkit.domain.accounts import N_


class Purpose(StrEnum):
    """The purposes of processing (Art. 30 GDPR) that meetkit serves."""

    MEETING_LINKS = "meeting_links"
    DIAL_IN = "dial_in"
    ATTENDANCE = "attendance"
    STAFF = "staff"
    TABLETS = "tablets"
    OPERATION = "operation"


@dataclass(frozen=True, slots=True)
class Column:
    """One stored column: what it holds and whether that is personal data."""

    name: str
    meaning: str
    personal: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """One table: its purpose, what it is for, how long its rows stay, and its columns."""

    name: str
    purpose: Purpose
    description: str
    retention: str
    columns: tuple[Column, ...]

    @property
    def personal(self) -> bool:
        """Whether any column holds personal data."""
        return any(column.personal for column in self.columns)


def column(name: str, meaning: str, personal: bool = False) -> Column:
    """One column of a table."""
    return Column(name, meaning, personal)


UNTIL_DELETED = N_("bis die Gruppe gelöscht wird")
FOREVER_HASH = N_("dauerhaft (nur ein Hash oder eine Nummer, damit sie nie wieder vergeben wird)")
CREATED = N_("Zeitpunkt der Anlage")
GROUP = N_("Nummer der Gruppe")
CONTACT_POINT = N_("Nummer der Kontaktstelle")
ACCOUNT = N_("Nummer des Kontos einer/eines Mitarbeitenden")
