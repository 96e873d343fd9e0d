"""Domain rules tested directly: identifiers, names, links."""

from __future__ import annotations

import math
import re

import pytest

from meetkit.domain import ids
from meetkit.domain.errors import InvalidInput
from meetkit.domain.names import clean_name, clean_phone, slugify


def test_room_names_are_random_lowercase_and_carry_at_least_80_bits() -> None:
    names = {ids.new_room_name() for _ in range(2000)}
    assert len(names) == 2000
    for name in names:
        assert re.fullmatch(r"[a-z0-9-]+", name)
    symbols = ids.ROOM_GROUPS * ids.ROOM_GROUP_LENGTH
    assert symbols * math.log2(len(ids.ROOM_ALPHABET)) >= 80


def test_room_names_use_the_whole_alphabet_evenly() -> None:
    counts: dict[str, int] = {}
    for _ in range(2000):
        for ch in ids.new_room_name().replace("-", ""):
            counts[ch] = counts.get(ch, 0) + 1
    assert set(counts) == set(ids.ROOM_ALPHABET)
    expected = 2000 * 20 / len(ids.ROOM_ALPHABET)
    assert all(abs(n - expected) < expected * 0.25 for n in counts.values())


def test_member_codes_avoid_look_alikes_and_normalise_what_people_type() -> None:
    code = ids.new_member_code()
    assert len(code) == ids.CODE_LENGTH
    assert not set(code) & set("01oil")
    assert ids.normalize_member_code(ids.format_member_code(code).upper()) == code
    assert ids.normalize_member_code(" " + code[:5] + " " + code[5:]) == code
    assert ids.normalize_member_code("abc") is None
    assert ids.normalize_member_code("0" * ids.CODE_LENGTH) is None
    assert ids.CODE_LENGTH * math.log2(len(ids.CODE_ALPHABET)) > 45


def test_pins_are_numeric_with_the_configured_length_and_no_leading_zero() -> None:
    pins = [ids.new_pin(8) for _ in range(500)]
    assert all(p.isdigit() and len(p) == 8 and p[0] != "0" for p in pins)
    assert len(set(pins)) > 490


def test_leader_tokens_are_long_and_hashes_stable() -> None:
    token = ids.new_secret_token()
    assert len(token) >= 43
    assert ids.hash_secret(token) == ids.hash_secret(token) != token


@pytest.mark.parametrize(
    ("text", "expected"),
    [("  Angehörige   Sucht ", "Angehörige Sucht"), ("Trauer\tcafé", "Trauer café")],
)
def test_clean_name_collapses_space(text: str, expected: str) -> None:
    assert clean_name(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "leer"),
        ("   ", "leer"),
        ("x" * 10_000, "zu lang"),
        ("Gruppe\x00", "Steuerzeichen"),
        ("a\u202eb", "Steuer"),
    ],
)
def test_clean_name_rejects_bad_input_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        clean_name(text)


def test_slugify_transliterates_german() -> None:
    assert slugify("KISS Nürnberg – Fürth") == "kiss-nuernberg-fuerth"
    assert slugify("Selbsthilfe Straße") == "selbsthilfe-strasse"
    with pytest.raises(InvalidInput):
        slugify("!!!")


def test_clean_phone() -> None:
    assert clean_phone(" 0911  234567 ") == "0911 234567"
    with pytest.raises(InvalidInput):
        clean_phone("call me")


@pytest.mark.parametrize("text", ["²⁰²⁶-11-23", "٢٣.١١.٢٠٢٦", "2026-11-2³"])
def test_dates_in_other_digits_are_refused_clearly(text: str) -> None:
    from meetkit.domain.errors import InvalidInput
    from meetkit.domain.headcounts import parse_date_field

    with pytest.raises(InvalidInput):
        parse_date_field(text)


@pytest.mark.parametrize("text", ["١٩:٠٠", "¹⁹:00"])
def test_times_in_other_digits_are_refused_clearly(text: str) -> None:
    from meetkit.domain.errors import InvalidInput
    from meetkit.domain.schedule_parsing import parse_time

    with pytest.raises(InvalidInput):
        parse_time(text)
