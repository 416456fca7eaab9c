"""Durations typed as people say them (orders.durations)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from kokemustori.orders.durations import format_minutes, parse_minutes


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("90", 90),
        ("0", 0),
        ("90 min", 90),
        ("90min", 90),
        ("45 minuuttia", 45),
        ("1 h 30 min", 90),
        ("1h30", 90),
        ("1 h, 15 min", 75),
        ("1:30", 90),
        ("0:05", 5),
        ("2 h", 120),
        ("1,5 h", 90),
        ("1.5 h", 90),
        ("2 t 15 min", 135),
        ("2 tuntia", 120),
        ("1 tim 30 min", 90),
        ("3 timmar", 180),
        ("  1  H  30  MIN ", 90),
    ],
)
def test_a_typed_duration_is_read_as_minutes(typed, minutes):
    assert parse_minutes(typed) == minutes


@pytest.mark.parametrize("typed", ["", "   "])
def test_nothing_typed_is_no_answer(typed):
    assert parse_minutes(typed) is None


@pytest.mark.parametrize(
    "typed",
    [
        "-5",
        "abc",
        "h",
        "1 h 1 h",
        "30 min 1 h",
        "1:75",
        "1 hour and a half",
        "9" * 40,
        "1 kg",
        "¹",  # a digit to str.isdigit(), not to int(): found by hypothesis
        "² h",
    ],
)
def test_anything_else_is_refused_with_how_to_write_it(typed):
    with pytest.raises(ValidationError) as refused:
        parse_minutes(typed)
    assert refused.value.messages == [
        "Write the time as minutes (90), hours and minutes (1 h 30 min) or hours:minutes (1:30)."
    ]


def test_part_of_a_minute_is_refused():
    with pytest.raises(ValidationError) as refused:
        parse_minutes("1,01 h")
    assert refused.value.messages == ["Give the time in whole minutes."]


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("fi", "Anna aika kokonaisina minuutteina."),
        ("sv", "Ange tiden i hela minuter."),
    ],
)
def test_the_refusal_is_translated(lang, message):
    with translation.override(lang):
        with pytest.raises(ValidationError) as refused:
            parse_minutes("1,01 h")
        assert refused.value.messages == [message]


@pytest.mark.parametrize(
    ("minutes", "shown"), [(0, "0 min"), (45, "45 min"), (60, "1 h"), (90, "1 h 30 min")]
)
def test_a_stored_duration_is_shown_in_hours_and_minutes(minutes, shown):
    assert format_minutes(minutes) == shown


@given(st.integers(min_value=0, max_value=60 * 24 * 14))
def test_what_is_shown_reads_back_as_the_same_minutes(minutes):
    assert parse_minutes(format_minutes(minutes)) == minutes


@given(st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=59))
def test_hours_and_minutes_in_every_way_of_writing_them(hours, minutes):
    total = hours * 60 + minutes
    assert parse_minutes(f"{hours}:{minutes:02d}") == total
    assert parse_minutes(f"{hours} h {minutes} min") == total
    assert parse_minutes(f"{hours} t {minutes} min") == total
    assert parse_minutes(str(total)) == total


@given(st.text(max_size=40))
def test_any_text_is_minutes_or_a_refusal(text):
    try:
        minutes = parse_minutes(text)
    except ValidationError:
        return
    assert minutes is None or minutes >= 0
