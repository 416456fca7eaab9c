"""The earnings limits of a pension or allowance, figure by figure (fees.earnings; mutation
testing: each comparison and sum checked with values written out by hand)."""

from datetime import date
from decimal import Decimal

import pytest

from kokemustori.fees.earnings import (
    MONTH,
    YEAR,
    EarningsSummary,
    LimitCheck,
    Room,
    earnings_in_month,
    earnings_in_year,
    summary,
)
from tests.factories import OrganisationFactory
from tests.factories_fees import helsinki, quick_record, trained_expert

D = Decimal


@pytest.mark.parametrize(
    ("limit", "earned", "fee", "total", "crosses", "remaining", "over_by"),
    [
        (D(1000), D(600), D(300), D(900), False, D(400), D(0)),
        (D(1000), D(600), D(400), D(1000), False, D(400), D(0)),  # exactly at the limit
        (D(1000), D(600), D("400.01"), D("1000.01"), True, D(400), D("0.01")),
        (D(1000), D(1200), D(0), D(1200), False, D(0), D(200)),  # no fee: nothing to cross
        (D(1000), D(1200), D(50), D(1250), True, D(0), D(250)),
        (None, D(5000), D(300), D(5300), False, None, D(0)),  # no limit recorded
    ],
)
def test_a_room_against_one_limit(limit, earned, fee, total, crosses, remaining, over_by):
    room = Room(MONTH, limit, earned, fee)
    assert room.total == total
    assert room.crosses is crosses
    assert room.remaining == remaining
    assert room.over_by == over_by


def check(month_limit, year_limit):
    fee = D(100)
    return LimitCheck(
        fee=fee,
        month=Room(MONTH, month_limit, D(0), fee),
        year=Room(YEAR, year_limit, D(0), fee),
        on=date(2026, 5, 4),
    )


def test_a_check_crosses_when_either_limit_is_crossed():
    assert check(D(50), None).crosses is True
    assert check(None, D(50)).crosses is True
    assert check(D(500), D(5000)).crosses is False
    assert check(None, None).crosses is False


def test_which_limits_a_check_has():
    both = check(D(500), D(5000))
    assert both.has_limit is True
    assert [room.period for room in both.rooms] == ["month", "year"]
    only_year = check(None, D(5000))
    assert only_year.has_limit is True
    assert [room.period for room in only_year.rooms] == ["year"]
    only_month = check(D(500), None)
    assert only_month.has_limit is True
    assert [room.period for room in only_month.rooms] == ["month"]
    neither = check(None, None)
    assert neither.has_limit is False
    assert neither.rooms == []


@pytest.mark.parametrize(
    ("month", "year", "limit", "yearly", "remaining", "remaining_year", "over", "over_year"),
    [
        (D(300), D(2000), D(500), D(6000), D(200), D(4000), False, False),
        (D(500), D(6000), D(500), D(6000), D(0), D(0), False, False),  # at the limits
        (D(600), D(6100), D(500), D(6000), D(0), D(0), True, True),
        (D(600), D(6100), None, None, None, None, False, False),
    ],
)
def test_the_summary_of_a_month_and_a_year(
    month, year, limit, yearly, remaining, remaining_year, over, over_year
):
    s = EarningsSummary(
        month=month, year=year, limit=limit, on=date(2026, 5, 4), yearly_limit=yearly
    )
    assert s.remaining == remaining
    assert s.remaining_year == remaining_year
    assert s.over_limit is over
    assert s.over_yearly_limit is over_year


@pytest.mark.django_db
def test_december_counts_to_the_years_end_and_not_into_january():
    expert = trained_expert(OrganisationFactory())
    quick_record(expert, helsinki(2026, 12, 31, 23, 30), fee=D("120.00"))
    quick_record(expert, helsinki(2027, 1, 1, 0, 30), fee=D("80.00"))
    quick_record(expert, helsinki(2026, 11, 30, 23, 30), fee=D("40.00"))
    assert earnings_in_month(expert, 2026, 12) == D("120.00")
    assert earnings_in_month(expert, 2027, 1) == D("80.00")
    assert earnings_in_year(expert, 2026) == D("160.00")
    assert earnings_in_year(expert, 2027) == D("80.00")


@pytest.mark.django_db
def test_summary_on_a_day():
    expert = trained_expert(
        OrganisationFactory(),
        monthly_earnings_limit=D("500.00"),
        yearly_earnings_limit=D("6000.00"),
    )
    quick_record(expert, helsinki(2026, 5, 2), fee=D("120.00"))
    quick_record(expert, helsinki(2026, 2, 2), fee=D("300.00"))
    s = summary(expert, on=date(2026, 5, 20))
    assert (s.month, s.year, s.limit, s.yearly_limit, s.on) == (
        D("120.00"),
        D("420.00"),
        D("500.00"),
        D("6000.00"),
        date(2026, 5, 20),
    )
