"""Which rows of an office's list become groups: the name column, per-row problems and duplicates."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput
from meetkit.domain.group_table import Table
from meetkit.domain.names import MAX_NAME_LENGTH, clean_name

# Column headings that name the group column (compared without case, spaces and punctuation).
NAME_HEADINGS = frozenset(
    {
        "name",
        "namen",
        "gruppe",
        "gruppen",
        "gruppenname",
        "gruppennamen",
        "namedergruppe",
        "selbsthilfegruppe",
        "namederselbsthilfegruppe",
        "bezeichnung",
        "gruppenbezeichnung",
        "titel",
        "group",
        "groupname",
        "groups",
    }
)
NO_NAME_COLUMN = N_(
    "In der ersten Zeile fehlt die Überschrift der Spalte mit den Gruppennamen. Bitte die Spalte „Name“ "
    "oder „Gruppe“ nennen (die anderen Spalten werden nicht übernommen)."
)
CONTROL_CHARACTERS = N_("Der Name enthält Steuerzeichen.")
TOO_LONG = N_("Der Name ist zu lang ({length} Zeichen, höchstens {limit}).")
NO_NAME = N_("In dieser Zeile fehlt der Gruppenname.")
EXISTS = N_("Eine Gruppe mit diesem Namen gibt es hier schon.")
REPEATED = N_("Derselbe Name steht schon in Zeile {line}.")

Status = Literal["new", "existing", "repeated", "invalid"]


@dataclass(frozen=True, slots=True)
class PlannedRow:
    """One row of the list: the name as it will be stored, and why it is left out (a message and its values)."""

    line: int
    name: str
    status: Status
    problem: str | None = None
    values: dict[str, object] = field(default_factory=dict)

    @property
    def importable(self) -> bool:
        """Whether this row becomes a group."""
        return self.status == "new"


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What an import does: every row with its status, and the columns that are not taken over."""

    rows: tuple[PlannedRow, ...]
    name_column: str | None  # the heading of the name column, None when the list has one column and none
    ignored_columns: tuple[str, ...]

    @property
    def new_rows(self) -> list[PlannedRow]:
        """The rows that become groups, in file order."""
        return [row for row in self.rows if row.importable]

    @property
    def skipped_rows(self) -> list[PlannedRow]:
        """The rows left out, each with its reason."""
        return [row for row in self.rows if not row.importable]


def heading_key(text: str) -> str:
    """A column heading without case, spaces and punctuation ("Name der Gruppe:" -> "namedergruppe")."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def name_key(name: str) -> str:
    """What makes two group names the same: case, spacing and Unicode form do not count."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def named_rows(table: Table) -> tuple[list[tuple[int, str]], str | None, tuple[str, ...]]:
    """The (line, name cell) pairs, the name column's heading and the headings of the other columns.

    The name column is the one whose heading in the first row is a known one ("Name", "Gruppe" ...); a list
    with a single column needs no heading. Other columns (contact persons, phone numbers) are never read."""
    header = table.rows[0][1]
    column = next((i for i, cell in enumerate(header) if heading_key(cell) in NAME_HEADINGS), None)
    if column is not None:
        ignored = tuple(cell for i, cell in enumerate(header) if i != column and cell)
        rows = [(line, cells[column] if column < len(cells) else "") for line, cells in table.rows[1:]]
        return rows, header[column], ignored
    if any(sum(1 for cell in cells if cell) > 1 for _, cells in table.rows):
        raise InvalidInput(NO_NAME_COLUMN)
    return [(line, next(cell for cell in cells if cell)) for line, cells in table.rows], None, ()


def _checked(line: int, raw: str) -> PlannedRow:
    if not raw.strip():
        return PlannedRow(line, "", "invalid", NO_NAME)
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") for ch in raw if ch not in " \t"):
        return PlannedRow(line, raw, "invalid", CONTROL_CHARACTERS)
    name = " ".join(unicodedata.normalize("NFC", raw).split())
    if len(name) > MAX_NAME_LENGTH:
        return PlannedRow(line, name, "invalid", TOO_LONG, {"length": len(name), "limit": MAX_NAME_LENGTH})
    return PlannedRow(line, clean_name(name, "Der Gruppenname"), "new")


def plan_rows(rows: Iterable[tuple[int, str]], existing_names: Iterable[str]) -> tuple[PlannedRow, ...]:
    """Check each (line, name): problems, names the contact point has already, names repeated in the list."""
    existing = {name_key(name) for name in existing_names}
    first_line_of: dict[str, int] = {}
    planned = []
    for line, raw in rows:
        row = _checked(line, raw)
        if row.importable:
            key = name_key(row.name)
            if key in existing:
                row = PlannedRow(line, row.name, "existing", EXISTS)
            elif key in first_line_of:
                row = PlannedRow(line, row.name, "repeated", REPEATED, {"line": first_line_of[key]})
            else:
                first_line_of[key] = line
        planned.append(row)
    return tuple(planned)


def plan_import(table: Table, existing_names: Iterable[str]) -> ImportPlan:
    """The plan for a list read from a file, against the names the contact point has already."""
    rows, heading, ignored = named_rows(table)
    return ImportPlan(plan_rows(rows, existing_names), heading, ignored)
