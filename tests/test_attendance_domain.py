"""The pure attendance rules: sessions from observations, rounding, the "not a meeting" rule, reports."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import pytest

from meetkit.domain.attendance import Kind, Observation, RoomState, observe
from meetkit.domain.attendance_times import iso_utc, local_date, round_time
from meetkit.domain.count_sources import source_bit, source_names
from meetkit.domain.errors import InvalidInput
from meetkit.domain.headcounts import check_headcount, check_meeting_date, parse_count_field, parse_date_field
from meetkit.domain.meeting_figures import MeetingRecord, counts_as_meeting, figures
from meetkit.domain.monthly_report import build_report
from meetkit.domain.months import parse_month
from meetkit.domain.report_exports import report_json, report_rows
from meetkit.domain.report_lines import GroupInfo
from meetkit.report_chart import weekly_chart

T0 = int(dt.datetime(2026, 11, 23, 18, 58, 10, tzinfo=dt.UTC).timestamp())


def run(
    observations: list[Observation], state: RoomState | None = None
) -> tuple[RoomState | None, dict[str, int]]:
    """Fold observations like storage does; return the final state and the last session's figures."""
    session: dict[str, int] = {"opens": 0, "peak": 0, "end": 0, "start": 0}
    for obs in observations:
        step = observe(state, obs)
        state, update = step.state, step.update
        if update is None:
            continue
        assert state is not None
        if update.opens:
            session = {"opens": session["opens"] + 1, "peak": 0, "end": 0, "start": update.opened_at}
            state = state._replace(session_id=session["opens"])
        session["start"] = min(session["start"], update.opened_at)
        session["peak"] = max(session["peak"], update.peak)
        session["end"] = max(session["end"], update.seen_at or 0)
    return state, session


def meeting_events() -> list[Observation]:
    """A meeting: created, three join (one leaves and rejoins), all leave, destroyed."""
    return [
        Observation(T0, Kind.CREATED, None, T0),
        Observation(T0 + 5, Kind.COUNT, 1),
        Observation(T0 + 60, Kind.COUNT, 2),
        Observation(T0 + 120, Kind.COUNT, 3),
        Observation(T0 + 1800, Kind.COUNT, 2),
        Observation(T0 + 1900, Kind.COUNT, 3),
        Observation(T0 + 5400, Kind.COUNT, 1),
        Observation(T0 + 5460, Kind.COUNT, 0),
        Observation(T0 + 5470, Kind.DESTROYED, 0),
    ]


def test_a_meeting_becomes_one_session_with_start_end_and_peak() -> None:
    state, session = run(meeting_events())
    assert state is not None and not state.is_open and state.clock == T0 + 5470
    assert session == {"opens": 1, "start": T0, "end": T0 + 5470, "peak": 3}


def test_duplicated_webhooks_change_nothing() -> None:
    events = meeting_events()
    doubled = [e for event in events for e in (event, event)]
    assert run(doubled) == run(events)


def test_webhooks_in_any_order_and_repeated_give_the_same_session() -> None:
    events = meeting_events()
    _, session = run(events)
    for seed in range(200):
        shuffled = events + random.Random(seed).sample(events, 4)  # some delivered twice
        random.Random(seed).shuffle(shuffled)
        state, other = run(shuffled)
        assert {k: other[k] for k in ("start", "end", "peak")} == {
            k: session[k] for k in ("start", "end", "peak")
        }
        assert other["opens"] == 1, shuffled
        assert state is not None and not state.is_open


def test_a_late_count_after_the_room_closed_raises_its_peak_but_does_not_reopen_it() -> None:
    events = [*meeting_events()[:-3], meeting_events()[-1], Observation(T0 + 1300, Kind.COUNT, 5)]
    state, session = run(events)
    assert state is not None and not state.is_open
    assert session["opens"] == 1 and session["peak"] == 5


def test_an_event_at_the_same_second_as_the_destruction_does_not_reopen() -> None:
    events = [*meeting_events(), Observation(T0 + 5470, Kind.COUNT, 0), Observation(T0 + 5470, Kind.COUNT, 1)]
    state, session = run(events)
    assert state is not None and not state.is_open and session["opens"] == 1


def test_a_restart_continues_from_the_stored_state() -> None:
    events = meeting_events()
    whole_state, whole = run(events)
    middle_state, first_half = run(events[:4])
    # storage keeps `middle_state`; the second half arrives after a restart
    end_state, second_half = run(events[4:], middle_state)
    assert end_state == whole_state
    assert max(first_half["peak"], second_half["peak"]) == whole["peak"]
    assert second_half["end"] == whole["end"]
    assert second_half["opens"] == 0


def test_census_observations_open_with_the_created_time_and_close_when_gone() -> None:
    created = T0 - 300
    polls = [Observation(T0 + 60 * i, Kind.COUNT, n, created) for i, n in enumerate([1, 3, 4, 4, 2])]
    state, session = run([*polls, Observation(T0 + 300, Kind.GONE)])
    assert session["start"] == created and session["peak"] == 4
    assert session["end"] == T0 + 240  # last seen, not when it was missed
    assert state is not None and not state.is_open


def test_an_empty_room_does_not_open_a_session() -> None:
    state, session = run([Observation(T0, Kind.COUNT, 0), Observation(T0 + 60, Kind.GONE)])
    assert session["opens"] == 0 and state is None


def test_an_open_session_without_news_for_hours_ends_at_its_last_activity() -> None:
    events = meeting_events()[:4]  # destroyed was never delivered
    next_week = Observation(T0 + 7 * 86400, Kind.CREATED, None, T0 + 7 * 86400)
    state, session = run([*events, next_week])
    assert session["opens"] == 2 and session["start"] == T0 + 7 * 86400
    assert state is not None and state.is_open and state.opened_at == T0 + 7 * 86400


def test_a_second_room_creation_starts_a_new_session() -> None:
    events = [*meeting_events()[:3], Observation(T0 + 900, Kind.CREATED, None, T0 + 900)]
    _, session = run(events)
    assert session["opens"] == 2


@pytest.mark.parametrize(
    ("seconds", "rounded"),
    [(0, 0), (149, 0), (150, 300), (299, 300), (301, 300), (449, 300), (450, 600)],
)
def test_times_round_to_the_nearest_five_minutes(seconds: int, rounded: int) -> None:
    assert round_time(T0 - T0 % 300 + seconds) == T0 - T0 % 300 + rounded


def test_stored_times_are_utc_iso_and_meeting_days_are_local() -> None:
    late = int(dt.datetime(2026, 11, 23, 23, 30, tzinfo=dt.UTC).timestamp())
    assert iso_utc(late) == "2026-11-23T23:30:00Z"
    assert local_date(late) == dt.date(2026, 11, 24)  # 00:30 in Berlin


def meeting(**overrides: object) -> MeetingRecord:
    values: dict[str, object] = {
        "group_id": 1,
        "meeting_date": dt.date(2026, 11, 23),
        "started_at": "2026-11-23T18:00:00Z",
        "ended_at": "2026-11-23T19:30:00Z",
        "peak_online": 0,
        "in_room": None,
        "phone": None,
        "sources": 0,
    }
    values.update(overrides)
    return MeetingRecord(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "online", "total"),
    [
        ({"peak_online": 5}, 5, 5),
        ({"peak_online": 5, "phone": 2}, 3, 5),  # callers are Jitsi occupants too
        ({"peak_online": 4, "in_room": 6}, 3, 9),  # one occupant is the room's tablet
        ({"peak_online": 4, "in_room": 6, "phone": 1}, 2, 9),
        ({"peak_online": 0, "in_room": 7, "phone": 0}, 0, 7),  # nobody online
        ({"peak_online": 1, "phone": 3}, 0, 3),  # never negative
    ],
)
def test_people_are_counted_once(fields: dict[str, int], online: int, total: int) -> None:
    people = figures(meeting(**fields))
    assert people.online == online and people.total == total


@pytest.mark.parametrize(
    ("fields", "counts"),
    [
        ({"peak_online": 1}, False),  # only the leader, for 90 minutes
        ({"peak_online": 2, "ended_at": "2026-11-23T18:05:00Z"}, False),  # a few minutes with somebody
        ({"peak_online": 2, "ended_at": "2026-11-23T18:10:00Z"}, True),
        ({"peak_online": 6}, True),
        ({"peak_online": 3, "started_at": None, "ended_at": None}, False),  # no times: nothing to go by
        ({"in_room": 1, "phone": 0, "started_at": None, "ended_at": None}, False),  # the leader alone
        ({"in_room": 2, "started_at": None, "ended_at": None}, True),  # counted by hand: no duration needed
        ({"peak_online": 1, "in_room": 1}, False),  # leader + tablet
        ({"peak_online": 2, "in_room": 3, "ended_at": "2026-11-23T18:05:00Z"}, True),
    ],
)
def test_what_counts_as_a_meeting(fields: dict[str, object], counts: bool) -> None:
    assert counts_as_meeting(meeting(**fields)) is counts


def test_headcount_checks() -> None:
    assert check_headcount(None, "x") is None
    assert check_headcount(0, "x") == 0
    for bad in (-1, 501, True, 2.5, "3"):
        with pytest.raises(InvalidInput):
            check_headcount(bad, "x")  # type: ignore[arg-type]
    assert parse_count_field(" 4 ", "x") == 4 and parse_count_field("", "x") is None
    with pytest.raises(InvalidInput):
        parse_count_field("vier", "x")
    assert parse_date_field("23.11.2026") == parse_date_field("2026-11-23") == dt.date(2026, 11, 23)
    for bad_date in ("31.02.2026", "morgen", ""):
        with pytest.raises(InvalidInput):
            parse_date_field(bad_date)
    today = dt.date(2026, 11, 23)
    assert check_meeting_date(today, today) == today
    with pytest.raises(InvalidInput):
        check_meeting_date(today + dt.timedelta(days=1), today)
    with pytest.raises(InvalidInput):
        check_meeting_date(today - dt.timedelta(days=400), today)


def test_months() -> None:
    month = parse_month("2026-02")
    assert (month.first, month.last, str(month)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28), "2026-02")
    for bad in ("2026-13", "11-2026", "2026-1", "", "1999-12"):
        with pytest.raises(InvalidInput):
            parse_month(bad)


GROUPS = [
    GroupInfo(1, "Angehörige Sucht", "kiss", "KISS Beispielstadt"),
    GroupInfo(2, "Trauer", "kiss", "KISS Beispielstadt"),
    GroupInfo(3, "Kleine Gruppe", "shg-nord", "SHG Nord"),
    GroupInfo(4, "Ruhende Gruppe", "shg-nord", "SHG Nord"),
]


def november() -> list[MeetingRecord]:
    day = dt.date(2026, 11, 2)  # a Monday
    return [
        meeting(group_id=1, meeting_date=day, peak_online=5),
        meeting(group_id=1, meeting_date=day + dt.timedelta(days=7), peak_online=3, in_room=4, phone=1),
        meeting(group_id=2, meeting_date=day + dt.timedelta(days=9), in_room=6),
        meeting(group_id=3, meeting_date=day + dt.timedelta(days=16), in_room=2),
        meeting(group_id=3, meeting_date=day + dt.timedelta(days=17), peak_online=1),  # leader alone
        meeting(group_id=1, meeting_date=dt.date(2026, 12, 1), in_room=9),  # another month
    ]


def test_report_sums_per_group_contact_point_week_and_overall() -> None:
    report = build_report(parse_month("2026-11"), GROUPS, november())
    data: Any = report_json(report)
    kiss, nord = data["contact_points"]
    assert [g["id"] for g in kiss["groups"]] == [1, 2]
    first = kiss["groups"][0]
    # 5 online; then 3 online - tablet - 1 caller = 1 online + 4 in room + 1 phone = 6
    assert (first["meetings"], first["participants"], first["average_participants"]) == (2, 11, 5.5)
    assert (first["online"], first["in_room"], first["phone"]) == (6, 4, 1)
    assert kiss["totals"]["participants"] == 17 and kiss["totals"]["meetings"] == 3
    assert nord["groups"][0]["participants"] == 2 and nord["groups"][1]["meetings"] == 0
    assert nord["groups"][1]["average_participants"] is None
    assert data["totals"]["meetings"] == 4 and data["totals"]["participants"] == 19
    assert data["rules"]["sessions_not_counted"] == 1
    weeks = data["weeks"]
    assert [w["week"] for w in weeks] == ["KW 44", "KW 45", "KW 46", "KW 47", "KW 48", "KW 49"]
    assert [w["meetings"] for w in weeks] == [0, 1, 2, 1, 0, 0]


def test_a_state_wide_export_suppresses_small_counts() -> None:
    report = build_report(parse_month("2026-11"), GROUPS, november(), min_count=3)
    data: Any = report_json(report)
    nord = data["contact_points"][1]
    small = nord["groups"][0]
    assert small["meetings"] == 1 and small["participants"] is None and small["average_participants"] is None
    assert small["suppressed"] is True
    assert nord["groups"][1]["participants"] == 0  # zero singles nobody out
    kiss_group = data["contact_points"][0]["groups"][0]
    # one phone caller: the whole line goes, or 11 - 6 - 4 would give the 1 away
    assert kiss_group["phone"] is None and kiss_group["participants"] is None and kiss_group["meetings"] == 2
    assert data["contact_points"][0]["groups"][1]["participants"] == 6
    assert data["suppressed_below"] == 3
    rows = report_rows(report)
    assert ("group", "shg-nord", 3, "Kleine Gruppe", 1, ".", ".", ".", ".", ".") in rows
    assert ("group", "shg-nord", 4, "Ruhende Gruppe", 0, 0, None, 0, 0, 0) in rows  # no average, not "<3"
    assert rows[-1] == ("total", "", "", "", 4, ".", ".", ".", ".", ".")  # its phone count is 1


def test_without_min_count_nothing_is_suppressed() -> None:
    data: Any = report_json(build_report(parse_month("2026-11"), GROUPS, november()))
    assert data["contact_points"][1]["groups"][0]["participants"] == 2


def test_weekly_charts_scale_bars_to_the_plot_and_leave_suppressed_weeks_empty() -> None:
    groups = [*GROUPS, GroupInfo(5, "Zweite Nordgruppe", "shg-nord", "SHG Nord")]
    extra = [
        meeting(group_id=5, meeting_date=dt.date(2026, 11, 24), in_room=4),  # KW 48
        meeting(group_id=2, meeting_date=dt.date(2026, 11, 10), in_room=3, phone=3),  # KW 46
    ]
    records = [m for m in november() if (m.group_id, m.phone) != (1, 1)] + extra  # no lone caller
    report = build_report(parse_month("2026-11"), groups, records, min_count=3)
    meetings = weekly_chart(report, "meetings")
    people = weekly_chart(report, "participants")
    assert [bar.value for bar in meetings.bars] == [0, 1, 2, 1, 1, 0]
    # KW 47 had 2 people; with KW 48 also withheld, the month's total gives only their sum (6) away
    assert [bar.value for bar in people.bars] == [0, 5, 12, None, None, 0]
    assert [bar.label for bar in people.bars][:2] == ["KW 44", "KW 45"]
    for chart in (meetings, people):
        tallest = max(chart.bars, key=lambda b: b.height)
        assert tallest.y > 0 and tallest.y + tallest.height == pytest.approx(chart.baseline)
        assert all(0 <= bar.height <= chart.baseline for bar in chart.bars)
    empty = weekly_chart(build_report(parse_month("2026-11"), [], []), "meetings")
    assert all(bar.height == 0 for bar in empty.bars)


def test_sources_are_a_bit_set() -> None:
    bits = source_bit("census") | source_bit("kiosk")
    assert source_names(bits) == ["census", "kiosk"]
    with pytest.raises(InvalidInput):
        source_bit("twitter")


def test_every_ordering_of_a_small_meeting_gives_the_same_session() -> None:
    events = meeting_events()[:6]
    sessions = {tuple(run(list(order))[1].values()) for order in itertools.permutations(events)}
    assert sessions == {(1, 3, T0 + 1900, T0)}
