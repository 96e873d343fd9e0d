"""The staff schedule editor's form: its fields as typed, read into a rule, each mistake named by its field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from meetkit.domain import schedule_parsing
from meetkit.domain import schedules as sched
from meetkit.domain.accounts import N_
from meetkit.domain.errors import InvalidInput
from meetkit.domain.schedules import OwnTime, Schedule

FIELDS = ("frequency", "weekday", "start", "duration", "place", "anchor", "nth")
FREQUENCY_UNKNOWN = N_("Bitte wählen Sie, wie oft die Gruppe sich trifft.")
OWN_START_MISSING = N_("Bitte geben Sie an, um wie viel Uhr das Treffen beginnt (zum Beispiel 18:30).")
DEFAULT_DURATION = 90


class FieldError(Exception):
    """A form field's mistake: which field, and the domain error that says what is wrong."""

    def __init__(self, field: str, error: InvalidInput) -> None:
        super().__init__(error.message)
        self.field = field
        self.error = error


@dataclass(frozen=True, slots=True)
class RuleInput:
    """A rule as the form gives it, each part parsed (make_schedule checks how the parts fit together)."""

    frequency: str
    weekday: int | None  # None, like start and duration, for single dates
    start: dt.time | None
    duration_minutes: int | None
    place: str | None
    anchor: dt.date | None
    nth: int | None

    def as_arguments(self) -> dict[str, Any]:
        """The keyword arguments of services.schedules.set_schedule and preview_schedule."""
        if self.frequency == "dates":
            return {"frequency": self.frequency, "place": self.place or ""}
        return {
            "frequency": self.frequency,
            "weekday": self.weekday,
            "start": self.start,
            "duration_minutes": self.duration_minutes,
            "place": self.place or "",
            "anchor": self.anchor,
            "nth": self.nth,
        }


def entered_from(schedule: Schedule | None) -> dict[str, str]:
    """The form's fields filled from the stored rule (a weekly rule on Thursdays at 19:00 for none)."""
    if schedule is None:
        return {"frequency": "weekly", "weekday": "4", "start": "19:00", "duration": "90", "nth": "1"}
    if schedule.weekday is None or schedule.start is None:
        return {"frequency": schedule.frequency.value, "place": schedule.place or "", "nth": "1"}
    return {
        "frequency": schedule.frequency.value,
        "weekday": str(schedule.weekday + 1),
        "start": schedule.start.strftime("%H:%M"),
        "duration": str(schedule.duration_minutes),
        "place": schedule.place or "",
        "anchor": schedule.anchor.isoformat() if schedule.anchor else "",
        "nth": "last" if schedule.nth == sched.LAST else str(schedule.nth or 1),
    }


def _field(name: str, parse: Any, text: str) -> Any:
    try:
        return parse(text)
    except InvalidInput as error:
        raise FieldError(name, error) from None


def read_rule(entered: dict[str, str]) -> RuleInput:
    """The rule in the form's fields, or FieldError for the first field that is wrong."""
    frequency = entered.get("frequency", "")
    if frequency not in ("weekly", "biweekly", "monthly", "dates"):
        raise FieldError("frequency", InvalidInput(FREQUENCY_UNKNOWN))
    if frequency == "dates":  # each date carries its own time: the rule's fields are not read
        place = _field("place", sched.clean_place, entered.get("place", ""))
        return RuleInput(frequency, None, None, None, place, None, None)
    anchor_text = entered.get("anchor", "").strip()
    return RuleInput(
        frequency=frequency,
        weekday=_field("weekday", schedule_parsing.parse_weekday, entered.get("weekday", "")),
        start=_field("start", schedule_parsing.parse_time, entered.get("start", "")),
        duration_minutes=_field(
            "duration",
            lambda text: sched.check_duration(schedule_parsing.parse_duration(text)),
            entered.get("duration", ""),
        ),
        place=_field("place", sched.clean_place, entered.get("place", "")),
        anchor=_field("anchor", schedule_parsing.parse_date, anchor_text)
        if frequency == "biweekly" and anchor_text
        else None,
        nth=_field("nth", schedule_parsing.parse_nth, entered.get("nth", ""))
        if frequency == "monthly"
        else None,
    )


def rule_field(frequency: str) -> str:
    """The field a mistake in how a rule's parts fit together is shown next to."""
    return {"biweekly": "anchor", "monthly": "nth"}.get(frequency, "frequency")


def read_day(entered: dict[str, str], name: str) -> dt.date:
    """A date field of the cancel/extra date forms, or FieldError."""
    return _field(name, schedule_parsing.parse_date, entered.get(name, ""))  # type: ignore[no-any-return]


def read_own_time(entered: dict[str, str], prefix: str = "add") -> OwnTime | None:
    """An added date's own start and duration (`add_start`, `add_duration`); None when both are empty."""
    start_text = entered.get(f"{prefix}_start", "").strip()
    duration_text = entered.get(f"{prefix}_duration", "").strip()
    if not start_text and not duration_text:
        return None
    if not start_text:
        raise FieldError(f"{prefix}_start", InvalidInput(OWN_START_MISSING))
    start = _field(f"{prefix}_start", schedule_parsing.parse_time, start_text)
    duration = _field(
        f"{prefix}_duration",
        lambda text: sched.check_duration(schedule_parsing.parse_duration(text or str(DEFAULT_DURATION))),
        duration_text,
    )
    return OwnTime(start, duration)
