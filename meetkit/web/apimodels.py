"""Typed models of the staff API `/api/v1`: what requests may carry and what answers contain.

Requests are validated through these models and answers are built from them, and the OpenAPI document is
generated from them (web/openapi.py), so the document and the routes cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from meetkit.domain.devices import MAX_PAIRING_MINUTES, PAIRING_MINUTES
from meetkit.domain.names import MAX_NAME_LENGTH, MAX_SLUG_LENGTH
from meetkit.domain.numbers import MAX_ID, is_ascii_number, parse_id
from meetkit.domain.schedules import MAX_DURATION_MINUTES, MAX_PLACE_LENGTH
from meetkit.services.devices import MAX_DEVICE_NAME_LENGTH
from meetkit.sheets.data import Lang, Layout

SLUG_PATTERN = f"^[a-z0-9-]{{1,{MAX_SLUG_LENGTH}}}$"
MONTH_PATTERN = "^(20[0-9]{2}|2[1-9][0-9]{2}|[3-9][0-9]{3})-(0[1-9]|1[0-2])$"  # from 2000-01


@dataclass(frozen=True, slots=True)
class Meaning:
    """What a field means, in German, for error messages (`Das Feld 'x' (Meaning) ...`)."""

    text: str


# --- base classes: one per place a value comes from ---


class PathParams(BaseModel):
    """Variables of the URL path; anything that does not fit names nothing (404)."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class QueryParams(BaseModel):
    """Query string parameters (text by nature; numbers must be plain ASCII digits); unknown ones are errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RequestBody(BaseModel):
    """A JSON request body: exact types, no unknown fields (a misspelt field is an error, not ignored)."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class NoBody(RequestBody):
    """An empty JSON object or no body at all."""


class Answer(BaseModel):
    """A JSON answer: exactly the documented fields."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# --- value types ---


def _path_id(what: str) -> BeforeValidator:
    return BeforeValidator(lambda text: parse_id(text, what) if isinstance(text, str) else text)


def _ascii_number(value: Any) -> Any:
    """Accept a query number only as ASCII digits ('²', '+5', '5_0' and ' 5' are not numbers here)."""
    if isinstance(value, str):
        if not is_ascii_number(value) or len(value) > 18:
            raise PydanticCustomError("int_parsing", "not a whole number")
        return int(value)
    return value


GroupId = Annotated[int, Field(ge=1, le=MAX_ID), _path_id("Gruppe")]
DeviceId = Annotated[int, Field(ge=1, le=MAX_ID), _path_id("Tablet")]
SlugRef = Annotated[str, Field(pattern=SLUG_PATTERN, description="a contact point's slug")]
Name = Annotated[str, Field(max_length=MAX_NAME_LENGTH)]
Timestamp = Annotated[str, Field(description="UTC, e.g. 2026-11-23T18:00:00Z")]
IsoDate = Annotated[str, Field(json_schema_extra={"format": "date"}, examples=["2026-04-09"])]
DateTime = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
Count = Annotated[int | None, Field(description="null when suppressed (below min_count)")]
NextCount = Annotated[
    int, Field(ge=0, le=100), BeforeValidator(_ascii_number), Meaning("Anzahl der nächsten Termine")
]
MinCount = Annotated[
    int, Field(ge=1, le=100), BeforeValidator(_ascii_number), Meaning("kleinste gezeigte Personenzahl")
]


# --- contact points ---


class NewContactPoint(RequestBody):
    """A contact point to create; its slug comes from the name unless given."""

    name: Name
    slug: SlugRef | None = None
    phone: Annotated[str, Field(max_length=40)] | None = None
    show_group_names: bool = True


class ContactPoint(Answer):
    """A contact point (Selbsthilfekontaktstelle)."""

    id: int
    slug: str
    name: str
    phone: str | None
    show_group_names: bool
    created_at: Timestamp


class ContactPointList(Answer):
    """All contact points."""

    contact_points: list[ContactPoint]


class SheetsPath(PathParams):
    """The contact point whose sheets are printed."""

    slug: SlugRef


class SheetsQuery(QueryParams):
    """Language and layout of the printed sheets."""

    lang: Annotated[
        Lang | None,
        Meaning("Sprache"),
        Field(description="de, en or ls (Leichte Sprache); without it, each group's chosen sheet language"),
    ] = None
    layout: Annotated[
        Layout,
        Meaning("Layout"),
        Field(description="a4: one A4 sheet per group; cards: four A6 cards per A4 page"),
    ] = "a4"


# --- groups ---


class GroupsQuery(QueryParams):
    """Which groups to list."""

    contact_point: SlugRef | None = None


class NewGroup(RequestBody):
    """A group to create, optionally in a contact point."""

    name: Name
    contact_point: SlugRef | None = None


class GroupPath(PathParams):
    """A group named by its number."""

    id: GroupId


class Group(Answer):
    """A group with its member link; `pin` only when dial-in is configured."""

    id: int
    name: str
    contact_point_id: int | None
    room: str
    member_code: str
    member_url: str
    created_at: Timestamp
    renewed_at: Timestamp | None
    pin: str | None = None


class IssuedGroup(Group):
    """A group right after creation or renewal: the only time its leader link is shown."""

    leader_url: str


class GroupList(Answer):
    """Groups."""

    groups: list[Group]


# --- devices ---


class DevicesQuery(QueryParams):
    """Which tablets to list."""

    contact_point: SlugRef | None = None


class DevicePath(PathParams):
    """A tablet named by its number."""

    id: DeviceId


ValidMinutes = Annotated[
    int,
    Field(ge=1, le=MAX_PAIRING_MINUTES, description="how long the pairing link works"),
    Meaning("Minuten, die der Kopplungslink gilt"),
]


class NewDevice(RequestBody):
    """A tablet to register for a contact point."""

    name: Annotated[str, Field(max_length=MAX_DEVICE_NAME_LENGTH)]
    contact_point: SlugRef
    valid_minutes: ValidMinutes = PAIRING_MINUTES


class NewPairing(RequestBody):
    """How long a new pairing link works."""

    valid_minutes: ValidMinutes = PAIRING_MINUTES


class Device(Answer):
    """A kiosk tablet (never its tokens)."""

    id: int
    name: str
    contact_point_id: int
    status: Literal["pairing", "paired", "unpaired", "revoked"]
    paired_at: Timestamp | None
    pairing_expires_at: Timestamp | None
    revoked_at: Timestamp | None
    created_at: Timestamp
    kind: Annotated[str, Field(description="tablet, laptop, speaker, camera, microphone or other")]
    serial_number: str | None
    notes: str | None


class ListedDevice(Device):
    """A tablet in a list, with its contact point's slug."""

    contact_point: str | None = None


class DeviceList(Answer):
    """Tablets."""

    devices: list[ListedDevice]


class DevicePairing(Answer):
    """A tablet with its one-time pairing link (shown only in this answer)."""

    device: Device
    pairing_url: Annotated[str, Field(description="open on the tablet; works once")]
    pairing_expires_at: Timestamp


# --- schedules ---


class NextQuery(QueryParams):
    """How many next dates to show."""

    next: NextCount = 3


Frequency = Literal["weekly", "biweekly", "monthly", "dates"]  # dates: single dates, no rule


class ScheduleInput(RequestBody):
    """A group's rule; without `frequency`, only start, duration or place change.

    Local wall times in Europe/Berlin; a 5th weekday is skipped in months without one. "dates" (single
    dates, no fixed time) takes no weekday, start or duration: each date added carries its own.
    """

    frequency: Frequency | None = None
    weekday: Annotated[
        str | int | None,
        Field(
            description='name ("thursday", "do", "Donnerstag") or ISO number 1-7 (1 = Monday); '
            "for biweekly it defaults to the anchor's weekday"
        ),
        Meaning("Wochentag"),
    ] = None
    start: Annotated[
        str | None, Field(pattern="^[0-9]{1,2}[:.][0-9]{2}$", examples=["19:00"]), Meaning("Uhrzeit")
    ] = None
    duration_minutes: Annotated[
        int | None, Field(ge=1, le=MAX_DURATION_MINUTES), Meaning("Dauer in Minuten")
    ] = None
    place: Annotated[str | None, Field(max_length=MAX_PLACE_LENGTH, description='"" removes the place')] = (
        None
    )
    anchor: Annotated[IsoDate | None, Field(description="biweekly only: a meeting day")] = None
    nth: Annotated[int | str | None, Field(description='monthly only: 1-5 or "last"')] = None


class DateInput(RequestBody):
    """One date."""

    date: Annotated[IsoDate, Meaning("Datum")]


class AddDateInput(RequestBody):
    """One date to add; with `start` (and `duration_minutes`, default 90) at its own time, else at the
    rule's. Single dates need a start."""

    date: Annotated[IsoDate, Meaning("Datum")]
    start: Annotated[
        str | None, Field(pattern="^[0-9]{1,2}[:.][0-9]{2}$", examples=["18:30"]), Meaning("Uhrzeit")
    ] = None
    duration_minutes: Annotated[
        int | None, Field(ge=1, le=MAX_DURATION_MINUTES), Meaning("Dauer in Minuten")
    ] = None


class OwnTime(Answer):
    """An extra date's own start and duration."""

    date: IsoDate
    start: Annotated[str, Field(examples=["18:30"])]
    duration_minutes: int


class Occurrence(Answer):
    """One meeting date."""

    date: IsoDate
    start: Annotated[DateTime, Field(description="local time with UTC offset")]
    end: DateTime
    place: str | None
    extra: bool


class Schedule(Answer):
    """A group's rule with its extra and cancelled dates."""

    frequency: Frequency
    weekday: Annotated[str | None, Field(examples=["thursday"], description="null for single dates")]
    start: Annotated[str | None, Field(examples=["19:00"], description="null for single dates")]
    duration_minutes: Annotated[int | None, Field(description="null for single dates")]
    place: str | None
    anchor: IsoDate | None
    nth: int | Literal["last"] | None
    timezone: Annotated[str, Field(examples=["Europe/Berlin"])]
    description: str
    extra_dates: list[IsoDate]
    cancelled_dates: list[IsoDate]
    own_times: Annotated[list[OwnTime], Field(description="extra dates at their own time")]


class GroupSchedule(Answer):
    """A group's schedule (null without one) and its next dates."""

    group_id: int
    schedule: Schedule | None
    next: list[Occurrence]


# --- attendance report ---


class ReportQuery(QueryParams):
    """Which month, where, and from which count people counts are shown."""

    month: Annotated[str, Field(pattern=MONTH_PATTERN, examples=["2026-11"]), Meaning("Monat, z. B. 2026-11")]
    contact_point: SlugRef | None = None
    min_count: Annotated[MinCount | None, Field(description="people counts below it are null")] = None
    format: Annotated[Literal["json", "csv"], Meaning("Format")] = "json"


class AttendanceTotals(Answer):
    """A sum of meetings and people."""

    meetings: int
    participants: Count
    average_participants: float | None
    online: Count
    in_room: Count
    phone: Count
    suppressed: Annotated[bool, Field(description="people figures withheld under min_count")] = False


class GroupTotals(AttendanceTotals):
    """One group's sums."""

    id: int
    name: str


class WeekTotals(AttendanceTotals):
    """One week's sums."""

    week: Annotated[str, Field(examples=["2026-W47"])]
    monday: IsoDate


class ContactPointTotals(Answer):
    """One contact point's groups and sums."""

    slug: str | None
    name: str | None
    groups: list[GroupTotals]
    totals: AttendanceTotals


class ReportRules(Answer):
    """The counting rules the report applied."""

    min_participants: int
    min_minutes: int
    sessions_not_counted: int


class AttendanceReport(Answer):
    """The anonymous monthly report: counts only, never names."""

    month: str
    suppressed_below: int | None
    rules: ReportRules
    contact_points: list[ContactPointTotals]
    totals: AttendanceTotals
    weeks: list[WeekTotals]
