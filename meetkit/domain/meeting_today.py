"""Whether a group meets today and whether its meeting is on now, from its schedule; and until when that holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from meetkit.domain import meeting_dates
from meetkit.domain.meeting_dates import Occurrence
from meetkit.domain.schedules import TIMEZONE, Schedule


class TodayState(StrEnum):
    """What a member page says about today."""

    NOW = "now"  # a meeting runs at this moment
    LATER = "later"  # a meeting starts later today
    OVER = "over"  # today's meeting has ended
    NONE = "none"  # no meeting today


@dataclass(frozen=True, slots=True)
class Today:
    """Today's state, the meeting it is about (None for NONE) and the moment the answer may next change."""

    state: TodayState
    meeting: Occurrence | None
    changes_at: dt.datetime


def meeting_today(schedule: Schedule, moment: dt.datetime) -> Today:
    """The state of `moment`: on now, later today, over for today, or no meeting today (local Berlin day)."""
    today = moment.astimezone(TIMEZONE).date()
    meetings = meeting_dates.occurrences_between(
        schedule, today - dt.timedelta(days=1), today
    )  # may run past midnight
    midnight = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(0), tzinfo=TIMEZONE)
    changes_at = min([t for o in meetings for t in (o.start, o.end) if t > moment] + [midnight])
    running = [o for o in meetings if o.is_running(moment)]
    later = [o for o in meetings if o.day == today and o.start > moment]
    over = [o for o in meetings if o.day == today and o.end <= moment]
    if running:
        return Today(TodayState.NOW, running[0], changes_at)
    if later:
        return Today(TodayState.LATER, later[0], changes_at)
    if over:
        return Today(TodayState.OVER, over[-1], changes_at)
    return Today(TodayState.NONE, None, changes_at)
