"""Attendance rules: meeting sessions from room counts, 5-minute rounding, what counts as a meeting, reports.

Rules, in one place (docs/attendance.md explains them for people):

- A meeting is one group on one local day (Europe/Berlin). Several Jitsi sessions of that day (a reconnect, a
  room that closed and opened again) merge into it: earliest start, latest end, highest peak.
- Start and end are rounded to the nearest 5 minutes before they are stored.
- A session's start is the earliest, its end the latest moment the room was seen alive, its peak the highest
  count: minima and maxima, so duplicated webhooks change nothing and reordered ones give the same session.
  Every room has a clock (the latest observation applied): an observation older than the clock never
  changes the current count or opens a session; it only widens the session it falls in.
- Online people = peak online count, minus one for the room's device when an in-room count was recorded,
  minus the phone count (each phone caller is a Jitsi occupant too). Participants = online + in room + phone.
- Not a meeting: fewer than MIN_PARTICIPANTS participants, or (without a hand count) shorter than
  MIN_MINUTES from start to end as stored.
- Renewed links give a group a new room. Observations of its old (retired) room still count for the group
  up to RETIRED_ROOM_SECONDS after the renewal: the meeting running while the leader renewed goes on. Later
  ones are ignored (nobody can start the old room with a leader token any more). Both rooms share the
  group's one room state, so while both run the peak is the larger count, never the sum.
- Small counts (exports with min_count n): a line (a group, a contact point, a week, the month's total)
  with a people figure (participants, online, in room, phone) from 1 to n-1 withholds all of them and its
  average, and shows only its number of meetings: participants = online + in room + phone would give a
  lone missing figure away, and the average times the meetings gives the participants. A shown total gives
  away the sum of the withheld lines under it, so that sum must come from two lines or more and be 0 or at
  least n in every figure; otherwise more sibling lines are withheld (the one leaving the fewest unsafe
  figures, the smallest first), and where no sibling helps, the total is withheld itself. The month's
  total is withheld when the withheld groups of withheld contact points would give themselves away, and
  then so is every week with people in it (the weeks add up to the total). No figure is ever changed:
  what is shown is true, and every shown total is the sum of all the lines under it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple

from meetkit.domain.errors import InvalidInput
from meetkit.domain.numbers import is_ascii_number
from meetkit.domain.schedules import TIMEZONE

ROUND_SECONDS = 5 * 60
MIN_PARTICIPANTS = 2
MIN_MINUTES = 10
STALE_SECONDS = 6 * 60 * 60  # an open session without news for this long ended at its last activity
RETIRED_ROOM_SECONDS = 6 * 60 * 60  # how long a renewed group's old room still counts for it
MAX_HEADCOUNT = 500
MAX_OCCUPANTS = 100_000  # anything larger is garbage, not a count
HEADCOUNT_DAYS_BACK = 366

SOURCES: dict[str, int] = {"census": 1, "events": 2, "leader": 4, "kiosk": 8, "staff": 16}
HEADCOUNT_SOURCES = ("leader", "kiosk", "staff")


def source_bit(name: str) -> int:
    """Return the bit of a source name, or raise InvalidInput."""
    try:
        return SOURCES[name]
    except KeyError:
        raise InvalidInput(f"Unbekannte Quelle '{name}'.") from None


def source_names(bits: int) -> list[str]:
    """Return the source names in a bit set, in a fixed order."""
    return [name for name, bit in SOURCES.items() if bits & bit]


def round_time(seconds: int) -> int:
    """Round unix seconds to the nearest 5 minutes (halves up)."""
    return (seconds + ROUND_SECONDS // 2) // ROUND_SECONDS * ROUND_SECONDS


def iso_utc(seconds: int) -> str:
    """Return unix seconds as stored: ISO 8601 UTC with a Z."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso_utc(text: str) -> dt.datetime:
    """Parse a stored UTC time back into an aware datetime."""
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)


def local_date(seconds: int) -> dt.date:
    """Return the local (Europe/Berlin) date of a moment given in unix seconds."""
    return dt.datetime.fromtimestamp(seconds, TIMEZONE).date()


def local_today(now: dt.datetime | None = None) -> dt.date:
    """Return today's local date."""
    return (now or dt.datetime.now(dt.UTC)).astimezone(TIMEZONE).date()


def retired_room_counts_until(retired_at: str) -> int:
    """The last moment (unix s) at which a room retired at `retired_at` (as stored) still counts for its group."""
    return int(parse_iso_utc(retired_at).timestamp()) + RETIRED_ROOM_SECONDS


# --- Turning room observations into sessions ------------------------------------------------------------


class Kind(StrEnum):
    """What an observation says about a room."""

    CREATED = "created"  # the room was created (webhook room/created)
    COUNT = "count"  # the room holds `occupants` people (occupant webhooks, census)
    DESTROYED = "destroyed"  # the room was destroyed at `at` (webhook room/destroyed)
    GONE = "gone"  # the census no longer lists the room: it ended after its last observation


class Observation(NamedTuple):
    """One count-only fact about a room at a moment (unix seconds); nothing about any person."""

    at: int
    kind: Kind
    occupants: int | None = None
    opened_at: int | None = None  # when the source says the room was created, if it says so


class RoomState(NamedTuple):
    """What meetkit remembers of a room between observations (kept in the database).

    `clock` is the latest observation time applied; `floor` is the clock before the current (or last)
    session opened: a late observation after the floor belongs to that session, one before it to an
    older one.
    """

    clock: int
    occupants: int
    is_open: bool
    opened_at: int | None
    floor: int | None
    session_id: int | None


class SessionUpdate(NamedTuple):
    """How one observation changes the room's session: open a new one, or widen the current one.

    Every field merges by min (start) or max (end, peak), so applying updates in any order, or twice,
    gives the same session.
    """

    opens: bool
    opened_at: int  # the start moves back to it
    seen_at: int | None  # the end moves forward to it (None: no news about the end)
    peak: int


class Step(NamedTuple):
    """The room's new state and what to record (None: nothing)."""

    state: RoomState | None
    update: SessionUpdate | None


def observe(state: RoomState | None, obs: Observation) -> Step:
    """Apply one observation to a room's state; pure, so duplicates and reorderings are easy to test."""
    if state is not None and (obs.at < state.clock or (obs.at == state.clock and not state.is_open)):
        return _late(state, obs)
    if state is not None and state.is_open and obs.at - state.clock > STALE_SECONDS:
        # The end of that session never arrived; it ended at its last activity, which is stored already.
        state = state._replace(is_open=False, occupants=0)
    if state is None or not state.is_open:
        return _while_closed(state, obs)
    return _while_open(state, obs)


def worth_saving(saved: RoomState | None, state: RoomState) -> bool:
    """Whether a new room state must be written: anything but the clock changed, or the clock moved on by
    5 minutes or more. A stored clock that lags by less changes nothing that is kept (it only decides which
    of two observations a few minutes apart is the later one), and census polls of unchanged rooms then
    cost no write."""
    if saved is None:
        return True
    return (
        state.clock - saved.clock >= ROUND_SECONDS
        or state.occupants != saved.occupants
        or state.is_open != saved.is_open
        or state.opened_at != saved.opened_at
        or state.floor != saved.floor
        or state.session_id != saved.session_id
    )


def _late(state: RoomState, obs: Observation) -> Step:
    """An observation from before the room's clock: it widens its session, never changes the current count.

    A late count or creation proves the room existed then (the start may move back, the end forward,
    the peak up). A late destruction or census gap says nothing the session does not already know.
    """
    if (
        obs.kind in (Kind.DESTROYED, Kind.GONE)
        or state.session_id is None
        or state.opened_at is None
        or (state.floor is not None and obs.at <= state.floor)
    ):
        return Step(state, None)
    start = min(state.opened_at, obs.at)
    update = SessionUpdate(False, start, obs.at, obs.occupants or 0)
    return Step(state._replace(opened_at=start), update)


def _while_closed(state: RoomState | None, obs: Observation) -> Step:
    """A closed room opens when it is created or someone is in it; a destruction we never saw open is a
    whole session (its payload knows the start); an empty count or a census gap changes nothing."""
    if obs.kind == Kind.GONE or (obs.kind == Kind.COUNT and not obs.occupants):
        return Step(state, None)
    floor = state.clock if state is not None else None
    start = obs.at
    if (
        obs.opened_at is not None
        and obs.opened_at <= obs.at
        and obs.at - obs.opened_at <= STALE_SECONDS
        and (floor is None or obs.opened_at > floor)
    ):
        start = obs.opened_at
    occupants = obs.occupants or 0
    is_open = obs.kind != Kind.DESTROYED
    return Step(
        RoomState(obs.at, occupants if is_open else 0, is_open, start, floor, None),
        SessionUpdate(True, start, obs.at, occupants),
    )


def _while_open(state: RoomState, obs: Observation) -> Step:
    """An open room: the count moves on and the end follows; a destruction or census gap closes it."""
    assert state.opened_at is not None
    if obs.kind == Kind.CREATED:
        if obs.at > state.opened_at:  # created again: the destruction of the previous room was missed
            return _while_closed(state._replace(is_open=False, occupants=0), obs)
        return Step(state._replace(clock=obs.at), None)
    if obs.kind == Kind.DESTROYED:
        closed = state._replace(clock=obs.at, occupants=0, is_open=False)
        return Step(closed, SessionUpdate(False, state.opened_at, obs.at, 0))
    if obs.kind == Kind.GONE:  # ended after its last observation, which is the stored end already
        return Step(state._replace(clock=obs.at, occupants=0, is_open=False), None)
    occupants = obs.occupants or 0
    moved = RoomState(obs.at, occupants, True, state.opened_at, state.floor, state.session_id)  # hot path
    return Step(moved, SessionUpdate(False, state.opened_at, obs.at, occupants))


# --- Hand counts ------------------------------------------------------------------------------------------


def check_headcount(value: int | None, what: str) -> int | None:
    """Return a plausible hand count (or None for "not counted"), else raise InvalidInput."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_HEADCOUNT:
        raise InvalidInput(f"{what} muss eine ganze Zahl von 0 bis {MAX_HEADCOUNT} sein.")
    return value


def check_meeting_date(day: dt.date, today: dt.date) -> dt.date:
    """Return the date of a counted meeting if it is not in the future and not too old."""
    if day > today:
        raise InvalidInput("Das Datum liegt in der Zukunft.")
    if (today - day).days > HEADCOUNT_DAYS_BACK:
        raise InvalidInput("Das Datum liegt mehr als ein Jahr zurück.")
    return day


def parse_count_field(text: str, what: str) -> int | None:
    """Parse a form field with a hand count: empty means "not counted"."""
    text = text.strip()
    if not text:
        return None
    if not is_ascii_number(text) or len(text) > 9:  # '²'.isdigit() is True, int('²') fails
        raise InvalidInput(f"{what} muss eine ganze Zahl von 0 bis {MAX_HEADCOUNT} sein.")
    return check_headcount(int(text), what)


def parse_date_field(text: str) -> dt.date:
    """Parse a date typed as 2026-11-23 or 23.11.2026."""
    text = text.strip()
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return dt.date.fromisoformat(text)
        match = re.fullmatch(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", text)
        if match:
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        pass
    raise InvalidInput("Bitte ein Datum wie 23.11.2026 angeben.")


# --- Meetings and what they count -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MeetingRecord:
    """A stored meeting: counts and rounded times of the meeting, nothing about anyone in it."""

    group_id: int
    meeting_date: dt.date
    started_at: str | None
    ended_at: str | None
    peak_online: int
    in_room: int | None
    phone: int | None
    sources: int

    @property
    def has_headcount(self) -> bool:
        """Whether somebody counted by hand."""
        return self.in_room is not None or self.phone is not None

    @property
    def minutes(self) -> int:
        """Minutes from the stored (rounded) start to the stored end; 0 without an online part."""
        if self.started_at is None or self.ended_at is None:
            return 0
        return int((parse_iso_utc(self.ended_at) - parse_iso_utc(self.started_at)).total_seconds()) // 60


@dataclass(frozen=True, slots=True)
class Figures:
    """People at one meeting, by way of taking part."""

    online: int
    in_room: int
    phone: int

    @property
    def total(self) -> int:
        """All participants."""
        return self.online + self.in_room + self.phone


def figures(meeting: MeetingRecord) -> Figures:
    """Count people without counting anyone twice: the room's device and phone callers are occupants too."""
    in_room = meeting.in_room or 0
    phone = meeting.phone or 0
    online = meeting.peak_online
    if in_room > 0 and online > 0:
        online -= 1  # the tablet or laptop in the room is one occupant, not a person
    online = max(online - phone, 0)  # each phone caller is a Jitsi occupant (jigasi) already
    return Figures(online, in_room, phone)


def counts_as_meeting(meeting: MeetingRecord) -> bool:
    """The "not a meeting" rule: at least two people, and an online-only one at least MIN_MINUTES long."""
    if figures(meeting).total < MIN_PARTICIPANTS:
        return False
    return meeting.has_headcount or meeting.minutes >= MIN_MINUTES


# --- Monthly reports --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Month:
    """A calendar month."""

    year: int
    month: int

    @property
    def first(self) -> dt.date:
        """Its first day."""
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        """Its last day."""
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def parse_month(text: str) -> Month:
    """Parse YYYY-MM."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text.strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < 2000:
        raise InvalidInput(f"Der Monat muss die Form JJJJ-MM haben (z. B. 2026-11), nicht '{text}'.")
    return Month(int(match[1]), int(match[2]))


@dataclass(frozen=True, slots=True)
class GroupInfo:
    """What a report shows of a group."""

    id: int
    name: str
    contact_point_slug: str | None
    contact_point_name: str | None


@dataclass(slots=True)
class Totals:
    """Meetings and participants summed up."""

    meetings: int = 0
    participants: int = 0
    online: int = 0
    in_room: int = 0
    phone: int = 0

    def add(self, people: Figures) -> None:
        """Count one meeting."""
        self.meetings += 1
        self.participants += people.total
        self.online += people.online
        self.in_room += people.in_room
        self.phone += people.phone

    def merge(self, other: Totals) -> None:
        """Add another sum to this one."""
        self.meetings += other.meetings
        self.participants += other.participants
        self.online += other.online
        self.in_room += other.in_room
        self.phone += other.phone

    @property
    def average(self) -> float | None:
        """Participants per meeting, one decimal; None without meetings."""
        return round(self.participants / self.meetings, 1) if self.meetings else None


@dataclass(frozen=True, slots=True)
class GroupLine:
    """One group's month."""

    group: GroupInfo
    totals: Totals


@dataclass(frozen=True, slots=True)
class ContactPointLine:
    """One contact point's month, with its groups."""

    slug: str | None
    name: str | None
    groups: list[GroupLine]
    totals: Totals


@dataclass(frozen=True, slots=True)
class WeekLine:
    """Meetings and participants in one ISO week (only days inside the month)."""

    monday: dt.date
    totals: Totals

    @property
    def label(self) -> str:
        """Calendar week as Germans write it: KW 45."""
        return f"KW {self.monday.isocalendar().week}"


@dataclass(frozen=True, slots=True)
class Hidden:
    """The lines of a report whose people figures are withheld (the small-counts rule above)."""

    groups: frozenset[int] = frozenset()  # group ids
    contact_points: frozenset[int] = frozenset()  # positions in Report.contact_points
    total: bool = False
    weeks: frozenset[dt.date] = frozenset()  # Mondays


@dataclass(frozen=True, slots=True)
class Report:
    """An anonymous monthly attendance report."""

    month: Month
    contact_points: list[ContactPointLine]
    total: Totals
    weeks: list[WeekLine]
    min_count: int | None = None
    not_counted: int = 0  # sessions that did not count as meetings (the rule above)
    hidden: Hidden = Hidden()  # lines withheld under min_count


@dataclass(frozen=True, slots=True)
class ArchivedWeek:
    """A group's meetings of one week inside one month, summed up before retention deleted them."""

    group_id: int
    month: str  # YYYY-MM
    monday: dt.date
    totals: Totals
    not_counted: int


def archive_weeks(meetings: Iterable[MeetingRecord]) -> list[ArchivedWeek]:
    """Sum meetings up per group, month and week as build_report() would count them (for retention)."""
    sums: dict[tuple[int, str, dt.date], tuple[Totals, list[int]]] = {}
    for meeting in meetings:
        day = meeting.meeting_date
        key = (meeting.group_id, f"{day.year:04d}-{day.month:02d}", day - dt.timedelta(days=day.weekday()))
        totals, not_counted = sums.setdefault(key, (Totals(), [0]))
        if counts_as_meeting(meeting):
            totals.add(figures(meeting))
        else:
            not_counted[0] += 1
    return [
        ArchivedWeek(gid, month, monday, totals, not_counted[0])
        for (gid, month, monday), (totals, not_counted) in sums.items()
    ]


def build_report(
    month: Month,
    groups: Iterable[GroupInfo],
    meetings: Iterable[MeetingRecord],
    min_count: int | None = None,
    archived: Iterable[ArchivedWeek] = (),
) -> Report:
    """Sum up a month per group, per contact point, per week and overall; groups without meetings show 0.

    `archived` holds the sums of meetings that retention deleted: they count exactly as the meetings did.
    """
    by_group: dict[int, Totals] = {}
    weeks: dict[dt.date, Totals] = {}
    day = month.first - dt.timedelta(days=month.first.weekday())
    while day <= month.last:
        weeks[day] = Totals()
        day += dt.timedelta(days=7)
    not_counted = 0
    for meeting in meetings:
        if not month.first <= meeting.meeting_date <= month.last:
            continue
        if not counts_as_meeting(meeting):
            not_counted += 1
            continue
        people = figures(meeting)
        by_group.setdefault(meeting.group_id, Totals()).add(people)
        monday = meeting.meeting_date - dt.timedelta(days=meeting.meeting_date.weekday())
        weeks[monday].add(people)
    for week in archived:
        if week.month != str(month) or week.monday not in weeks:
            continue
        not_counted += week.not_counted
        if week.totals.meetings:
            by_group.setdefault(week.group_id, Totals()).merge(week.totals)
            weeks[week.monday].merge(week.totals)
    lines: dict[str | None, ContactPointLine] = {}
    total = Totals()
    for group in sorted(groups, key=lambda g: (g.contact_point_name or "\uffff", g.name, g.id)):
        line = lines.get(group.contact_point_slug)
        if line is None:
            line = ContactPointLine(group.contact_point_slug, group.contact_point_name, [], Totals())
            lines[group.contact_point_slug] = line
        totals = by_group.get(group.id, Totals())
        line.groups.append(GroupLine(group, totals))
        line.totals.merge(totals)
        total.merge(totals)
    contact_points = list(lines.values())
    week_lines = [WeekLine(monday, totals) for monday, totals in weeks.items()]
    hidden = hide_small_counts(contact_points, total, week_lines, min_count)
    return Report(month, contact_points, total, week_lines, min_count, not_counted, hidden)


# --- Small counts in exports -----------------------------------------------------------------------------


def _people(totals: Totals) -> tuple[int, int, int, int]:
    return totals.participants, totals.online, totals.in_room, totals.phone


def _small(totals: Totals, n: int) -> bool:
    """Whether a line shows a people count from 1 to n-1."""
    return any(0 < value < n for value in _people(totals))


def _unsafe_figures(withheld: list[Totals], n: int) -> int:
    """How many figures of the withheld lines' sum, which a shown total above them gives away, single
    somebody out: all of them for a lone line, else each sum from 1 to n-1."""
    if not withheld:
        return 0
    sums = [sum(column) for column in zip(*(_people(t) for t in withheld), strict=True)]
    if len(withheld) == 1:
        return len(sums)
    return sum(1 for value in sums if 0 < value < n)


def _withhold_siblings(lines: list[Totals], withheld: set[int], n: int) -> bool:
    """Withhold more of these lines until their shown total gives nothing away; False when it cannot.

    Each step takes the line that leaves the fewest unsafe figures, the smallest first.
    """
    while _unsafe_figures([lines[i] for i in withheld], n):
        candidates = [i for i, line in enumerate(lines) if i not in withheld and line.participants > 0]
        if not candidates:
            return False
        withheld.add(
            min(
                candidates,
                key=lambda i: (
                    _unsafe_figures([lines[j] for j in withheld | {i}], n),
                    lines[i].participants,
                    i,
                ),
            )
        )
    return True


def hide_small_counts(
    contact_points: list[ContactPointLine], total: Totals, weeks: list[WeekLine], min_count: int | None
) -> Hidden:
    """Decide which lines withhold their people figures (rules in the module docstring)."""
    if min_count is None:
        return Hidden()
    n = min_count
    groups: set[int] = set()
    hidden_points: set[int] = set()
    exposed: list[Totals] = []  # withheld groups of withheld contact points: the month's total adds them up
    for index, point in enumerate(contact_points):
        lines = [line.totals for line in point.groups]
        small = {i for i, line in enumerate(lines) if _small(line, n)}
        protected = set(small)
        if _small(point.totals, n) or not _withhold_siblings(lines, protected, n):
            hidden_points.add(index)
            exposed += [lines[i] for i in small]
            protected = small
        groups |= {point.groups[i].group.id for i in protected}
    hide_total = _small(total, n) or _unsafe_figures(exposed, n) > 0
    week_lines = [week.totals for week in weeks]
    hidden_weeks = {i for i, line in enumerate(week_lines) if _small(line, n)}
    if hide_total or not _withhold_siblings(week_lines, hidden_weeks, n):
        # they would add up to the withheld total (weeks without anybody give nothing away)
        hidden_weeks = {i for i, line in enumerate(week_lines) if line.participants > 0}
    return Hidden(
        frozenset(groups),
        frozenset(hidden_points),
        hide_total,
        frozenset(weeks[i].monday for i in hidden_weeks),
    )


def totals_json(totals: Totals, withheld: bool = False) -> dict[str, object]:
    """The JSON shape of a sum; a withheld line's people figures and average are null (`suppressed`
    says so; an average is also null for a line without meetings)."""
    if withheld:
        people: dict[str, object] = dict.fromkeys(
            ("participants", "average_participants", "online", "in_room", "phone")
        )
    else:
        people = {
            "participants": totals.participants,
            "average_participants": totals.average,
            "online": totals.online,
            "in_room": totals.in_room,
            "phone": totals.phone,
        }
    return {"meetings": totals.meetings, **people, "suppressed": withheld}


def report_json(report: Report) -> dict[str, object]:
    """The report as one JSON document (CLI --format json and the staff API)."""
    hidden = report.hidden
    return {
        "month": str(report.month),
        "suppressed_below": report.min_count,
        "rules": {
            "min_participants": MIN_PARTICIPANTS,
            "min_minutes": MIN_MINUTES,
            "sessions_not_counted": report.not_counted,
        },
        "contact_points": [
            {
                "slug": cp.slug,
                "name": cp.name,
                "groups": [
                    {
                        "id": line.group.id,
                        "name": line.group.name,
                        **totals_json(line.totals, line.group.id in hidden.groups),
                    }
                    for line in cp.groups
                ],
                "totals": totals_json(cp.totals, index in hidden.contact_points),
            }
            for index, cp in enumerate(report.contact_points)
        ],
        "totals": totals_json(report.total, hidden.total),
        "weeks": [
            {
                "week": week.label,
                "monday": week.monday.isoformat(),
                **totals_json(week.totals, week.monday in hidden.weeks),
            }
            for week in report.weeks
        ],
    }


CSV_HEADER = (
    "level",
    "contact_point",
    "group_id",
    "group",
    "meetings",
    "participants",
    "average_participants",
    "online",
    "in_room",
    "phone",
)
WITHHELD = "."  # as in official statistics tables: "geheim zu halten"


def report_rows(report: Report) -> list[tuple[object, ...]]:
    """The report as CSV rows (after CSV_HEADER): groups, then each contact point's total, then the total.

    A withheld figure is WITHHELD; an average without meetings is empty.
    """
    hidden = report.hidden

    def cells(totals: Totals, withheld: bool) -> tuple[object, ...]:
        values = totals_json(totals, withheld)
        keys = ("participants", "average_participants", "online", "in_room", "phone")
        shown = tuple(WITHHELD if withheld else values[key] for key in keys)
        return (totals.meetings, *shown)

    rows: list[tuple[object, ...]] = []
    for index, cp in enumerate(report.contact_points):
        for line in cp.groups:
            withheld = line.group.id in hidden.groups
            rows.append(
                ("group", cp.slug or "", line.group.id, line.group.name, *cells(line.totals, withheld))
            )
        rows.append(
            (
                "contact_point",
                cp.slug or "",
                "",
                cp.name or "",
                *cells(cp.totals, index in hidden.contact_points),
            )
        )
    rows.append(("total", "", "", "", *cells(report.total, hidden.total)))
    return rows


# --- The weekly chart -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a weekly chart, in SVG user units; value None means suppressed (no bar)."""

    x: float
    y: float
    width: float
    height: float
    value: int | None
    label: str
    week: int  # the ISO calendar week, for the bar's accessible name


@dataclass(frozen=True, slots=True)
class Chart:
    """Geometry of one weekly bar chart (meetings or participants), scaled to its own largest value."""

    kind: str
    width: int
    height: int
    baseline: float
    bars: list[Bar]


def weekly_chart(report: Report, kind: str, width: int = 640, height: int = 200) -> Chart:
    """Lay out "meetings" or "participants" per week as bars."""
    top, bottom = 22.0, 30.0
    plot = height - top - bottom
    weeks = report.weeks
    values: list[int | None] = [
        week.totals.meetings
        if kind == "meetings"
        else None
        if week.monday in report.hidden.weeks
        else week.totals.participants
        for week in weeks
    ]
    most = max([v or 0 for v in values] + [1])
    slot = width / max(len(weeks), 1)
    bars = []
    for i, (week, value) in enumerate(zip(weeks, values, strict=True)):
        bar_height = plot * (value or 0) / most
        bars.append(
            Bar(
                i * slot + slot * 0.2,
                top + plot - bar_height,
                slot * 0.6,
                bar_height,
                value,
                week.label,
                week.monday.isocalendar().week,
            )
        )
    return Chart(kind, width, height, top + plot, bars)
