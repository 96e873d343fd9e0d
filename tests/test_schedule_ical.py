"""The iCalendar feed: valid RFC 5545 text, UTC times across DST, cancellations, no personal data."""

from __future__ import annotations

import datetime as dt

from meetkit.domain import ical
from meetkit.domain import schedules as s

NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


def unfold(text: str) -> list[str]:
    assert "\n" not in text.replace("\r\n", "")  # only CRLF line ends
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def events(text: str) -> list[dict[str, str]]:
    result: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in unfold(text):
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            assert current is not None
            result.append(current)
            current = None
        elif current is not None:
            key, _, value = line.partition(":")
            current[key] = value
    return result


def sunday_schedule(**kw: object) -> s.Schedule:
    return s.make_schedule("weekly", 6, dt.time(10), 90, place="Raum 2, EG", **kw)  # type: ignore[arg-type]


def test_feed_structure_and_utc_times_across_dst() -> None:
    text = ical.schedule_feed(
        sunday_schedule(), summary="Gruppentreffen", uid_stem="abc", now=NOW, future_days=20
    )
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and f"PRODID:{ical.PRODID}" in lines
    evs = {e["UID"]: e for e in events(text)}
    march22 = evs["abc-20260322@meetkit"]
    march29 = evs["abc-20260329@meetkit"]
    assert march22["DTSTART"] == "20260322T090000Z"  # 10:00 CET
    assert march29["DTSTART"] == "20260329T080000Z"  # 10:00 CEST
    assert march29["DTEND"] == "20260329T093000Z"
    assert march29["LOCATION"] == "Raum 2\\, EG"
    assert march29["STATUS"] == "CONFIRMED"
    assert march29["DTSTAMP"] == "20260320T120000Z"
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_feed_window_and_past_dates() -> None:
    text = ical.schedule_feed(
        sunday_schedule(), summary="x", uid_stem="u", now=NOW, past_days=7, future_days=14
    )
    starts = sorted(e["DTSTART"][:8] for e in events(text))
    assert starts == ["20260315", "20260322", "20260329"]


def test_cancelled_dates_are_published_as_cancelled() -> None:
    sched = sunday_schedule(cancelled_dates=[dt.date(2026, 3, 29), dt.date(2026, 3, 31)])
    text = ical.schedule_feed(sched, summary="Gruppentreffen", uid_stem="u", now=NOW, future_days=20)
    evs = {e["UID"]: e for e in events(text)}
    assert evs["u-20260329@meetkit"]["STATUS"] == "CANCELLED"
    assert evs["u-20260329@meetkit"]["SUMMARY"] == "Fällt aus: Gruppentreffen"
    assert "u-20260331@meetkit" not in evs  # a Tuesday was never a meeting day
    assert evs["u-20260405@meetkit"]["STATUS"] == "CONFIRMED"


def test_no_personal_data_properties() -> None:
    text = ical.schedule_feed(sunday_schedule(), summary="Gruppentreffen", uid_stem="u", now=NOW)
    names = {line.split(":", 1)[0].split(";", 1)[0] for line in unfold(text)}
    assert names <= {
        "BEGIN", "END", "VERSION", "PRODID", "CALSCALE", "METHOD", "X-WR-CALNAME", "REFRESH-INTERVAL",
        "X-PUBLISHED-TTL", "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "STATUS", "TRANSP",
        "CLASS",
    }  # fmt: skip
    for prop in ("ATTENDEE", "ORGANIZER", "CONTACT", "DESCRIPTION", "URL", "MAILTO"):
        assert prop not in names


def test_escaping_and_folding_of_long_unicode_text() -> None:
    summary = (
        "Selbsthilfegruppe Angehörige; Trauer, Verlust \\ Hoffnung – Treffpunkt für alle Menschen in Bayern"
    )
    text = ical.render_calendar(
        [
            ical.FeedEvent(
                uid="x@meetkit",
                start=dt.datetime(2026, 1, 1, 18, tzinfo=dt.UTC),
                end=dt.datetime(2026, 1, 1, 19, tzinfo=dt.UTC),
                summary=summary,
                location="Raum\nZwei",
            )
        ],
        name=summary,
        stamp=NOW,
    )
    raw_lines = text.split("\r\n")
    assert all(len(line.encode("utf-8")) <= 75 for line in raw_lines)
    text.encode("utf-8").decode("utf-8")  # folding never splits a multi-byte character
    (ev,) = events(text)
    assert ev["SUMMARY"] == summary.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    assert ev["LOCATION"] == "Raum\\nZwei"


def test_fold_keeps_short_lines() -> None:
    assert ical.fold("SUMMARY:kurz") == "SUMMARY:kurz"
    folded = ical.fold("X:" + "ä" * 80)
    pieces = folded.split("\r\n ")
    assert len(pieces) == 3
    assert len(pieces[0].encode()) <= 75
    assert all(len(p.encode()) <= 74 for p in pieces[1:])
    assert folded.replace("\r\n ", "") == "X:" + "ä" * 80
