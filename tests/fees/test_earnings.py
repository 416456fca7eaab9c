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
    check_offer,
    earnings_in_month,
    earnings_in_year,
    summary,
    would_cross_limit,
)
from kokemustori.fees.models import FeeRecord
from kokemustori.fees.signals import earnings_elsewhere
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orders.models import Order, OrderState
from tests.factories import OrganisationFactory
from tests.factories.fees import accepted_offer, helsinki, quick_record, trained_expert

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


@pytest.mark.django_db
class TestWhatCounts:
    def test_an_agreement_counts_in_its_month_only(self):
        expert = trained_expert(OrganisationFactory())
        accepted_offer(expert, helsinki(2026, 5, 1, 0, 30), fee=D("100.00"))
        accepted_offer(expert, helsinki(2026, 4, 30, 23, 30), fee=D("40.00"))
        assert earnings_in_month(expert, 2026, 5) == D("100.00")
        assert earnings_in_month(expert, 2026, 4) == D("40.00")

    def test_another_experts_agreement_does_not_count(self):
        expert = trained_expert(OrganisationFactory())
        accepted_offer(trained_expert(expert.organisation), helsinki(2026, 5, 10), fee=D("70"))
        assert earnings_in_month(expert, 2026, 5) == D("0.00")

    def test_an_agreement_whose_offer_is_no_longer_accepted_does_not_count(self):
        expert = trained_expert(OrganisationFactory())
        offer, _agreement = accepted_offer(expert, helsinki(2026, 5, 10), fee=D("70.00"))
        Offer.objects.filter(pk=offer.pk).update(state=OfferState.WITHDRAWN)
        assert earnings_in_month(expert, 2026, 5) == D("0.00")

    def test_an_agreement_of_a_cancelled_order_does_not_count(self):
        expert = trained_expert(OrganisationFactory())
        offer, _agreement = accepted_offer(expert, helsinki(2026, 5, 10), fee=D("70.00"))
        Order.objects.filter(pk=offer.order_id).update(state=OrderState.CANCELLED)
        assert earnings_in_month(expert, 2026, 5) == D("0.00")


@pytest.mark.django_db
class TestTheCheckBeforeAccepting:
    def test_the_check_leaves_out_the_order_itself_and_counts_the_calendar_year(self):
        expert = trained_expert(
            OrganisationFactory(),
            monthly_earnings_limit=D("500.00"),
            yearly_earnings_limit=D("6000.00"),
        )
        record = quick_record(expert, helsinki(2026, 5, 20), fee=D("300.00"))
        quick_record(expert, helsinki(2026, 5, 2), fee=D("100.00"))
        quick_record(expert, helsinki(2026, 1, 1, 0, 30), fee=D("1000.00"))
        quick_record(expert, helsinki(2027, 1, 1, 0, 30), fee=D("2000.00"))
        quick_record(expert, helsinki(2025, 12, 31, 23, 30), fee=D("4000.00"))
        order = record.agreement.order
        check = would_cross_limit(expert, order, fee=D("450.00"))
        assert (check.month.period, check.year.period) == ("month", "year")
        assert (check.month.earned, check.year.earned) == (D("100.00"), D("1100.00"))
        assert (check.fee, check.on) == (D("450.00"), date(2026, 5, 20))
        assert check.month.crosses is True  # 100 + 450 > 500
        assert check.year.crosses is False

    def test_the_check_of_an_offer_uses_the_offers_figure(self):
        expert = trained_expert(OrganisationFactory(), monthly_earnings_limit=D("150.00"))
        offer, _agreement = accepted_offer(expert, helsinki(2026, 5, 10), fee=D("100.00"))
        Offer.objects.filter(pk=offer.pk).update(fee_amount=D("100.00"))  # sent with 100
        Order.objects.filter(pk=offer.order_id).update(fee_amount=D("300.00"))  # changed since
        offer = Offer.objects.select_related("order", "expert").get(pk=offer.pk)
        assert check_offer(offer).fee == D("100.00")
        assert check_offer(offer).month.crosses is False
        declined = check_offer(offer, fee_type=FeeType.DECLINED)
        assert (declined.fee, declined.crosses) == (D("0.00"), False)


@pytest.mark.django_db
def test_the_earnings_the_apps_above_count_are_added_and_their_orders_left_out():
    """The apps above (the series) answer earnings_elsewhere with what they count and the
    orders they counted it from; two stand-in answers here: 25 € counting the order of the
    40 € fee, and 5 €."""
    expert = trained_expert(OrganisationFactory())
    own = quick_record(expert, helsinki(2026, 5, 5), fee=D("100.00")).agreement.order
    theirs = quick_record(expert, helsinki(2026, 5, 6), fee=D("40.00")).agreement.order
    asked = []

    def first(sender, expert, start, end, exclude_order="missing", **kwargs):
        asked.append((sender, expert, start, end, exclude_order))
        return {"amount": D("25.00"), "orders": [theirs]}

    def second(sender, **kwargs):
        return {"amount": D("5.00"), "orders": []}

    earnings_elsewhere.connect(first, weak=False, dispatch_uid="test.first")
    earnings_elsewhere.connect(second, weak=False, dispatch_uid="test.second")
    try:
        # 100 € of its own, 25 € + 5 € of the apps above; the 40 € fee is theirs.
        assert earnings_in_month(expert, 2026, 5) == D("130.00")
        assert asked == [(FeeRecord, expert, date(2026, 5, 1), date(2026, 6, 1), None)]
        check = would_cross_limit(expert, own, fee=D("10.00"))
        # Before this assignment: only the apps above's 30 €.
        assert check.month.earned == D("30.00")
        # Asked for the month, then the year, this order left out.
        assert asked[1:] == [
            (FeeRecord, expert, date(2026, 5, 1), date(2026, 6, 1), own),
            (FeeRecord, expert, date(2026, 1, 1), date(2027, 1, 1), own),
        ]
    finally:
        earnings_elsewhere.disconnect(dispatch_uid="test.first")
        earnings_elsewhere.disconnect(dispatch_uid="test.second")
