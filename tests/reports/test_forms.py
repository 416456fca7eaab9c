"""The period chooser: each kind of period gives its first and last day."""

from datetime import date

import pytest

from kokemustori.reports.figures import Period
from kokemustori.reports.forms import period_from


@pytest.mark.parametrize(
    ("params", "period"),
    [
        (
            {"kind": "month", "year": "2026", "month": "2"},
            Period(date(2026, 2, 1), date(2026, 2, 28)),
        ),
        (
            {"kind": "month", "year": "2028", "month": "2"},
            Period(date(2028, 2, 1), date(2028, 2, 29)),
        ),
        (
            {"kind": "month", "year": "2026", "month": "12"},
            Period(date(2026, 12, 1), date(2026, 12, 31)),
        ),
        (
            {"kind": "quarter", "year": "2026", "quarter": "2"},
            Period(date(2026, 4, 1), date(2026, 6, 30)),
        ),
        (
            {"kind": "quarter", "year": "2026", "quarter": "4"},
            Period(date(2026, 10, 1), date(2026, 12, 31)),
        ),
        ({"kind": "year", "year": "2025"}, Period(date(2025, 1, 1), date(2025, 12, 31))),
        (
            {"kind": "custom", "start": "2026-03-15", "end": "2026-05-02"},
            Period(date(2026, 3, 15), date(2026, 5, 2)),
        ),
        (
            {"kind": "custom", "start": "2026-03-15", "end": "2026-03-15"},
            Period(date(2026, 3, 15), date(2026, 3, 15)),
        ),
    ],
)
def test_periods(params, period):
    form, got = period_from(params)
    assert got == period, form.errors


@pytest.mark.parametrize(
    ("params", "field", "error"),
    [
        ({"kind": "custom", "end": "2026-01-01"}, "start", "Give the first day of the period."),
        (
            {"kind": "custom", "start": "2026-01-02", "end": "2026-01-01"},
            "end",
            "The last day cannot be before the first day.",
        ),
        (
            {"kind": "custom", "start": "2020-01-01", "end": "2026-01-01"},
            "end",
            "Choose a period of at most five years.",
        ),
        (
            {"kind": "year", "year": "1999"},
            "year",
            "Ensure this value is greater than or equal to 2000.",
        ),
        (
            {"kind": "month", "year": "2026", "month": "13"},
            "month",
            "Select a valid choice. 13 is not one of the available choices.",
        ),
        (
            {"kind": "week"},
            "kind",
            "Select a valid choice. week is not one of the available choices.",
        ),
    ],
)
def test_bad_periods(params, field, error):
    form, period = period_from(params)
    assert period is None
    assert form.errors[field] == [error]
