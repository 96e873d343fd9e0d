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

from enum import StrEnum
from typing import NamedTuple

ROUND_SECONDS = 5 * 60
MIN_PARTICIPANTS = 2
MIN_MINUTES = 10
STALE_SECONDS = 6 * 60 * 60  # an open session without news for this long ended at its last activity
RETIRED_ROOM_SECONDS = 6 * 60 * 60  # how long a renewed group's old room still counts for it
MAX_OCCUPANTS = 100_000  # anything larger is garbage, not a count


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
