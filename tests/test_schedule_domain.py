"""Schedules as pure logic: rules, DST in Europe/Berlin, missing 5th weekdays, extras and cancellations."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from meetkit.domain import meeting_dates, schedule_description_de, schedule_parsing
from meetkit.domain import schedules as s
from meetkit.domain.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC
MO, TU, WE, TH, FR, SA, SU = range(7)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def local(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def days(occs: list[meeting_dates.Occurrence]) -> list[dt.date]:
    return [o.day for o in occs]


def weekly(weekday: int = TH, start: str = "19:00", minutes: int = 90, **kw: object) -> s.Schedule:
    return s.make_schedule("weekly", weekday, schedule_parsing.parse_time(start), minutes, **kw)  # type: ignore[arg-type]


# --- the rules ---


def test_weekly_lists_every_matching_weekday() -> None:
    sched = weekly(TH)
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert days(occs) == [dt.date(2026, 4, d) for d in (2, 9, 16, 23, 30)]
    first = occs[0]
    assert first.start == local(2026, 4, 2, 19, 0)
    assert first.end == local(2026, 4, 2, 20, 30)
    assert first.start.tzinfo is BERLIN
    assert not first.extra


def test_biweekly_counts_fortnights_from_the_anchor_both_ways() -> None:
    sched = s.make_schedule("biweekly", TH, dt.time(18, 30), 60, anchor=dt.date(2026, 4, 2))
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 3, 1), dt.date(2026, 4, 30))
    assert days(occs) == [
        dt.date(2026, 3, 5),
        dt.date(2026, 3, 19),
        dt.date(2026, 4, 2),
        dt.date(2026, 4, 16),
        dt.date(2026, 4, 30),
    ]
    assert not meeting_dates.is_regular_day(sched, dt.date(2026, 4, 9))
    assert meeting_dates.is_regular_day(sched, dt.date(2027, 1, 7))  # 40 weeks after the anchor


def test_biweekly_across_the_year_boundary_keeps_the_rhythm() -> None:
    sched = s.make_schedule("biweekly", MO, dt.time(10), 60, anchor=dt.date(2026, 12, 21))
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 12, 15), dt.date(2027, 1, 31))
    assert days(occs) == [dt.date(2026, 12, 21), dt.date(2027, 1, 4), dt.date(2027, 1, 18)]
    assert all((d - dt.date(2026, 12, 21)).days % 14 == 0 for d in days(occs))


def test_monthly_second_tuesday() -> None:
    sched = s.make_schedule("monthly", TU, dt.time(19), 120, nth=2)
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 1, 1), dt.date(2026, 4, 30))
    assert days(occs) == [
        dt.date(2026, 1, 13),
        dt.date(2026, 2, 10),
        dt.date(2026, 3, 10),
        dt.date(2026, 4, 14),
    ]


def test_monthly_fifth_weekday_is_skipped_in_months_without_one() -> None:
    sched = s.make_schedule("monthly", TH, dt.time(19), 90, nth=5)
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    # 2026 has five Thursdays only in January, April, July, October and December.
    assert days(occs) == [
        dt.date(2026, 1, 29),
        dt.date(2026, 4, 30),
        dt.date(2026, 7, 30),
        dt.date(2026, 10, 29),
        dt.date(2026, 12, 31),
    ]
    # February has four Thursdays: no meeting then, and none moved to the 4th Thursday instead.
    assert meeting_dates.occurrences_between(sched, dt.date(2026, 2, 1), dt.date(2026, 3, 31)) == []
    assert meeting_dates.nth_weekday(2026, 2, TH, 5) is None


def test_monthly_fifth_weekday_next_dates_jump_over_short_months() -> None:
    sched = s.make_schedule("monthly", TH, dt.time(19), 90, nth=5)
    nxt = meeting_dates.next_occurrences(sched, local(2026, 1, 30, 12, 0), 3)
    assert days(nxt) == [dt.date(2026, 4, 30), dt.date(2026, 7, 30), dt.date(2026, 10, 29)]


def test_monthly_last_weekday() -> None:
    sched = s.make_schedule("monthly", FR, dt.time(17), 60, nth=s.LAST)
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    assert days(occs) == [dt.date(2026, 1, 30), dt.date(2026, 2, 27), dt.date(2026, 3, 27)]


def test_nth_weekday_edges() -> None:
    assert meeting_dates.nth_weekday(2026, 3, SU, 1) == dt.date(2026, 3, 1)  # the 1st is that weekday
    assert meeting_dates.nth_weekday(2026, 3, SA, 1) == dt.date(2026, 3, 7)
    assert meeting_dates.nth_weekday(2026, 3, SU, s.LAST) == dt.date(2026, 3, 29)
    assert meeting_dates.nth_weekday(2026, 10, SU, s.LAST) == dt.date(2026, 10, 25)
    assert meeting_dates.nth_weekday(2024, 2, TH, 5) == dt.date(
        2024, 2, 29
    )  # leap year February with five Thursdays
    assert meeting_dates.nth_weekday(2026, 8, MO, 5) == dt.date(2026, 8, 31)


# --- daylight saving time, Europe/Berlin 2026: 29 March and 25 October ---


def test_spring_forward_keeps_wall_time_and_moves_utc() -> None:
    sched = weekly(SU, "10:00", 90)
    before, on, after = meeting_dates.occurrences_between(sched, dt.date(2026, 3, 22), dt.date(2026, 4, 5))
    assert [o.start.strftime("%H:%M") for o in (before, on, after)] == ["10:00"] * 3
    assert before.start.astimezone(UTC) == utc(2026, 3, 22, 9, 0)  # CET, +01:00
    assert on.start.astimezone(UTC) == utc(2026, 3, 29, 8, 0)  # CEST, +02:00
    assert after.start.astimezone(UTC) == utc(2026, 4, 5, 8, 0)
    assert on.end - on.start == dt.timedelta(minutes=90)


def test_fall_back_keeps_wall_time_and_moves_utc() -> None:
    sched = weekly(SU, "10:00", 90)
    before, on = meeting_dates.occurrences_between(sched, dt.date(2026, 10, 18), dt.date(2026, 10, 25))
    assert before.start.astimezone(UTC) == utc(2026, 10, 18, 8, 0)  # CEST
    assert on.start.astimezone(UTC) == utc(2026, 10, 25, 9, 0)  # CET
    assert on.start.strftime("%H:%M") == before.start.strftime("%H:%M") == "10:00"


def test_thursday_evening_meeting_before_and_after_each_change() -> None:
    sched = weekly(TH, "19:00", 90)
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 3, 26), dt.date(2026, 4, 2))
    assert [o.start.astimezone(UTC).hour for o in occs] == [18, 17]
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 10, 22), dt.date(2026, 10, 29))
    assert [o.start.astimezone(UTC).hour for o in occs] == [17, 18]


def test_non_existent_spring_time_moves_forward_by_the_gap() -> None:
    sched = weekly(SU, "02:30", 60)
    (occ,) = meeting_dates.occurrences_between(sched, dt.date(2026, 3, 29), dt.date(2026, 3, 29))
    assert occ.start.astimezone(UTC) == utc(2026, 3, 29, 1, 30)
    assert (occ.start.hour, occ.start.minute) == (3, 30)
    assert occ.start.utcoffset() == dt.timedelta(hours=2)


def test_ambiguous_autumn_time_takes_the_first_instance() -> None:
    sched = weekly(SU, "02:30", 60)
    (occ,) = meeting_dates.occurrences_between(sched, dt.date(2026, 10, 25), dt.date(2026, 10, 25))
    assert occ.start.astimezone(UTC) == utc(2026, 10, 25, 0, 30)
    assert occ.start.utcoffset() == dt.timedelta(hours=2)
    # The duration is real elapsed time: 60 minutes later it is 02:30 again, now in winter time.
    assert occ.end.astimezone(UTC) == utc(2026, 10, 25, 1, 30)
    assert (occ.end.hour, occ.end.minute, occ.end.utcoffset()) == (2, 30, dt.timedelta(hours=1))


def test_meeting_running_over_the_spring_change_lasts_its_duration() -> None:
    sched = weekly(SA, "23:00", 240)
    (occ,) = meeting_dates.occurrences_between(sched, dt.date(2026, 3, 28), dt.date(2026, 3, 28))
    assert occ.end.astimezone(UTC) - occ.start.astimezone(UTC) == dt.timedelta(hours=4)
    assert occ.end == local(2026, 3, 29, 4, 0)


def test_monthly_last_sunday_on_both_change_days() -> None:
    sched = s.make_schedule("monthly", SU, dt.time(11), 60, nth=s.LAST)
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 3, 1), dt.date(2026, 10, 31))
    march, october = occs[0], occs[-1]
    assert march.day == dt.date(2026, 3, 29)
    assert march.start.astimezone(UTC) == utc(2026, 3, 29, 9, 0)
    assert october.day == dt.date(2026, 10, 25)
    assert october.start.astimezone(UTC) == utc(2026, 10, 25, 10, 0)


def test_occurrences_in_uses_instants_across_dst() -> None:
    sched = weekly(SU, "10:00", 60)
    # 08:00 UTC on 29 March is 10:00 CEST: included; the 22nd's 09:00 UTC is before the window.
    occs = meeting_dates.occurrences_in(sched, utc(2026, 3, 22, 9, 30), utc(2026, 3, 29, 8, 0, 1))
    assert days(occs) == [dt.date(2026, 3, 29)]
    assert meeting_dates.occurrences_in(sched, utc(2026, 3, 22, 9, 30), utc(2026, 3, 29, 8, 0)) == []


# --- extra and cancelled dates ---


def test_cancelled_dates_are_removed() -> None:
    sched = weekly(TH, cancelled_dates=[dt.date(2026, 4, 9), dt.date(2026, 4, 10)])
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
    assert dt.date(2026, 4, 9) not in days(occs)
    assert len(occs) == 4


def test_extra_dates_are_added_with_regular_time_and_place() -> None:
    sched = weekly(TH, place="Raum 2", extra_dates=[dt.date(2026, 4, 13)])
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 4, 8), dt.date(2026, 4, 16))
    assert days(occs) == [dt.date(2026, 4, 9), dt.date(2026, 4, 13), dt.date(2026, 4, 16)]
    extra = occs[1]
    assert extra.extra and extra.place == "Raum 2"
    assert extra.start == local(2026, 4, 13, 19, 0)


def test_extra_on_a_regular_day_is_one_meeting() -> None:
    sched = weekly(TH, extra_dates=[dt.date(2026, 4, 9)])
    occs = meeting_dates.occurrences_between(sched, dt.date(2026, 4, 9), dt.date(2026, 4, 9))
    assert len(occs) == 1 and not occs[0].extra


def test_cancellation_wins_over_an_extra_date() -> None:
    sched = weekly(TH, extra_dates=[dt.date(2026, 4, 13)], cancelled_dates=[dt.date(2026, 4, 13)])
    assert meeting_dates.occurrences_between(sched, dt.date(2026, 4, 13), dt.date(2026, 4, 13)) == []


def test_extra_date_in_a_month_without_fifth_weekday() -> None:
    sched = s.make_schedule("monthly", TH, dt.time(19), 90, nth=5, extra_dates=[dt.date(2026, 2, 26)])
    nxt = meeting_dates.next_occurrences(sched, local(2026, 2, 1), 2)
    assert days(nxt) == [dt.date(2026, 2, 26), dt.date(2026, 4, 30)]
    assert nxt[0].extra


def test_cancelled_biweekly_date() -> None:
    sched = s.make_schedule(
        "biweekly", TH, dt.time(19), 90, anchor=dt.date(2026, 4, 2), cancelled_dates=[dt.date(2026, 4, 16)]
    )
    nxt = meeting_dates.next_occurrences(sched, local(2026, 4, 3), 2)
    assert days(nxt) == [dt.date(2026, 4, 30), dt.date(2026, 5, 14)]


# --- next and today ---


def test_next_occurrences_counts_a_running_meeting_but_not_an_ended_one() -> None:
    sched = weekly(TH, "19:00", 90)
    running = meeting_dates.next_occurrences(sched, local(2026, 4, 2, 20, 0), 3)
    assert days(running) == [dt.date(2026, 4, 2), dt.date(2026, 4, 9), dt.date(2026, 4, 16)]
    assert running[0].is_running(local(2026, 4, 2, 20, 0))
    ended = meeting_dates.next_occurrences(sched, local(2026, 4, 2, 20, 30), 1)
    assert days(ended) == [dt.date(2026, 4, 9)]


def test_next_occurrences_accepts_utc_and_respects_count_and_horizon() -> None:
    sched = weekly(TH)
    assert len(meeting_dates.next_occurrences(sched, utc(2026, 1, 1), 60)) == 60
    assert meeting_dates.next_occurrences(sched, utc(2026, 1, 1), 0) == []
    everything_cancelled = weekly(
        TH, cancelled_dates=[dt.date(2026, 1, 1) + dt.timedelta(d) for d in range(60)]
    )
    assert days(meeting_dates.next_occurrences(everything_cancelled, utc(2026, 1, 1), 1)) == [
        dt.date(2026, 3, 5)
    ]
    assert meeting_dates.next_occurrences(everything_cancelled, utc(2026, 1, 1), 1, horizon_days=30) == []


def test_todays_occurrences_use_the_berlin_day() -> None:
    sched = weekly(SU, "10:00", 60, extra_dates=[dt.date(2026, 3, 28)])
    # 23:30 UTC on Saturday 28 March is already 00:30 on Sunday in Berlin.
    today = meeting_dates.todays_occurrences(sched, utc(2026, 3, 28, 23, 30))
    assert days(today) == [dt.date(2026, 3, 29)]
    assert days(meeting_dates.todays_occurrences(sched, utc(2026, 3, 28, 22, 30))) == [dt.date(2026, 3, 28)]
    assert meeting_dates.todays_occurrences(sched, local(2026, 3, 30, 12)) == []


def test_naive_moments_are_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        meeting_dates.next_occurrences(weekly(), dt.datetime(2026, 1, 1), 1)


# --- validation ---


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"frequency": "daily"}, "Unbekannter Rhythmus"),
        ({"weekday": 7}, "Wochentag"),
        ({"duration_minutes": 0}, "Dauer"),
        ({"duration_minutes": 13 * 60}, "Dauer"),
        ({"frequency": "biweekly"}, "Ankerdatum"),
        ({"frequency": "biweekly", "anchor": dt.date(2026, 4, 3)}, "ist ein Freitag"),
        ({"anchor": dt.date(2026, 4, 2)}, "nur für „jede zweite Woche“"),
        ({"frequency": "monthly"}, "wievielte"),
        ({"frequency": "monthly", "nth": 6}, "wievielte"),
        ({"frequency": "monthly", "nth": 0}, "wievielte"),
        ({"nth": 2}, "nur für „monatlich“"),
        ({"place": "x" * 81}, "Ort"),
        ({"place": "Raum\x001"}, "Steuerzeichen"),
        ({"start": dt.time(19, tzinfo=UTC)}, "ohne Zeitzone"),
        ({"extra_dates": [dt.date(2026, 1, 1) + dt.timedelta(d) for d in range(501)]}, "Höchstens"),
    ],
)
def test_invalid_schedules_are_explained(kwargs: dict[str, object], message: str) -> None:
    args: dict[str, object] = {
        "frequency": "weekly",
        "weekday": TH,
        "start": dt.time(19),
        "duration_minutes": 90,
    }
    args.update(kwargs)
    with pytest.raises(InvalidInput, match=message):
        s.make_schedule(**args)  # type: ignore[arg-type]


def test_place_is_cleaned_and_empty_means_none() -> None:
    assert weekly(place="  Raum   2 ").place == "Raum 2"
    assert weekly(place="   ").place is None
    assert weekly().place is None


def test_seconds_are_dropped_from_the_start_time() -> None:
    assert s.make_schedule("weekly", TH, dt.time(19, 0, 30), 60).start == dt.time(19)


def test_describe() -> None:
    assert (
        schedule_description_de.describe(weekly(TH, place="Raum 2"))
        == "jeden Donnerstag, 19:00 Uhr (90 Min.), Raum 2"
    )
    assert schedule_description_de.describe(
        s.make_schedule("monthly", TU, dt.time(18), 60, nth=s.LAST)
    ).startswith("jeden letzten Dienstag im Monat")
    assert "zweiten Montag" in schedule_description_de.describe(
        s.make_schedule("biweekly", MO, dt.time(9), 60, anchor=dt.date(2026, 4, 6))
    )


# --- parsing what staff type ---


@pytest.mark.parametrize(
    ("text", "weekday"),
    [("mo", MO), ("Di", TU), ("mittwoch", WE), ("Do.", TH), ("fr", FR), ("sa", SA), ("so", SU),
     ("monday", MO), ("thu", TH), ("7", SU), ("1", MO)],
)  # fmt: skip
def test_parse_weekday(text: str, weekday: int) -> None:
    assert schedule_parsing.parse_weekday(text) == weekday


@pytest.mark.parametrize("bad", ["", "xy", "8", "0", "montags!"])
def test_parse_weekday_rejects(bad: str) -> None:
    with pytest.raises(InvalidInput, match="Wochentag"):
        schedule_parsing.parse_weekday(bad)


def test_parse_time_date_duration_nth() -> None:
    assert schedule_parsing.parse_time("19:30") == dt.time(19, 30)
    assert schedule_parsing.parse_time("9.05") == dt.time(9, 5)
    assert schedule_parsing.parse_time("19 Uhr") == dt.time(19)
    assert (
        schedule_parsing.parse_date("2026-04-02")
        == schedule_parsing.parse_date("02.04.2026")
        == dt.date(2026, 4, 2)
    )
    assert [schedule_parsing.parse_duration(x) for x in ("90", "90m", "1:30", "1h30", "2h", "45 min")] == [
        90,
        90,
        90,
        90,
        120,
        45,
    ]
    assert [schedule_parsing.parse_nth(x) for x in ("1", "5.", "last", "letzter")] == [1, 5, s.LAST, s.LAST]
    for bad_time in ("24:00", "19:60", "abc"):
        with pytest.raises(InvalidInput, match="Uhrzeit"):
            schedule_parsing.parse_time(bad_time)
    for bad_date in ("2026-02-30", "2.4.26x", ""):
        with pytest.raises(InvalidInput, match="Datum"):
            schedule_parsing.parse_date(bad_date)
    with pytest.raises(InvalidInput, match="Dauer"):
        schedule_parsing.parse_duration("anderthalb")
    with pytest.raises(InvalidInput, match="1 bis 5"):
        schedule_parsing.parse_nth("6")
