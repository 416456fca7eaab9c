"""An expert's earnings, for the monthly earnings limit of a pension or allowance.

Earnings are counted from fee records, and from accepted offers whose agreement has no fee
record yet (the fee is then the order's), by the month of the assignment in Finnish time.
A declined fee is never counted; cancelled agreements and orders are not counted either.
Expenses are reimbursements, not earnings.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from kokemustori.agreements.models import AgreementState
from kokemustori.offers.models import FeeType, Offer, OfferState
from kokemustori.orders.models import OrderState

from .models import FeeRecord
from .schedule import ZERO, order_fee


def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def today() -> date:
    return timezone.localtime(timezone.now(), _tz()).date()


def _month_range(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, end


def _earnings(expert, start: date, end: date, *, exclude_order=None):
    """Fees of assignments on days start <= day < end."""
    records = FeeRecord.objects.filter(
        expert=expert, assignment_date__gte=start, assignment_date__lt=end
    ).exclude(fee_type=FeeType.DECLINED)
    tz = _tz()
    offers = (
        Offer.objects.filter(
            expert=expert,
            state=OfferState.ACCEPTED,
            order__starts_at__gte=datetime(start.year, start.month, start.day, tzinfo=tz),
            order__starts_at__lt=datetime(end.year, end.month, end.day, tzinfo=tz),
        )
        .exclude(fee_type=FeeType.DECLINED)
        .exclude(agreement__fee_record__isnull=False)
        .exclude(agreement__state=AgreementState.CANCELLED)
        .exclude(order__state=OrderState.CANCELLED)
        .select_related("order")
    )
    if exclude_order is not None:
        records = records.exclude(agreement__order=exclude_order)
        offers = offers.exclude(order=exclude_order)
    total = records.aggregate(total=Sum("fee_amount"))["total"] or ZERO
    for offer in offers:
        total += order_fee(offer.order, expert.organisation)
    return total


def earnings_in_month(expert, year: int, month: int):
    return _earnings(expert, *_month_range(year, month))


def earnings_in_year(expert, year: int):
    return _earnings(expert, date(year, 1, 1), date(year + 1, 1, 1))


@dataclass(frozen=True)
class LimitCheck:
    """Would this assignment take the expert over their monthly earnings limit?"""

    limit: object  # Decimal, or None when the expert has recorded no limit
    earned: object  # already earned in the assignment's month, this assignment excluded
    fee: object  # this assignment's fee for the expert
    total: object  # earned + fee
    crosses: bool
    year: int
    month: int

    @property
    def remaining(self):
        """How much may still be earned that month before this assignment (never negative)."""
        if self.limit is None:
            return None
        return max(self.limit - self.earned, ZERO)


def would_cross_limit(expert, order, *, fee_type=None) -> LimitCheck:
    """Check before the expert accepts `order`. With fee_type=DECLINED the fee is 0."""
    when = timezone.localtime(order.starts_at, _tz()).date() if order.starts_at else today()
    start, end = _month_range(when.year, when.month)
    earned = _earnings(expert, start, end, exclude_order=order)
    fee = ZERO if fee_type == FeeType.DECLINED else order_fee(order, expert.organisation)
    total = earned + fee
    limit = expert.monthly_earnings_limit
    crosses = limit is not None and fee > 0 and total > limit
    return LimitCheck(
        limit=limit,
        earned=earned,
        fee=fee,
        total=total,
        crosses=crosses,
        year=when.year,
        month=when.month,
    )


@dataclass(frozen=True)
class EarningsSummary:
    month: object
    year: object
    limit: object
    on: date

    @property
    def remaining(self):
        if self.limit is None:
            return None
        return max(self.limit - self.month, ZERO)

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.month > self.limit


def summary(expert, on: date | None = None) -> EarningsSummary:
    on = on or today()
    return EarningsSummary(
        month=earnings_in_month(expert, on.year, on.month),
        year=earnings_in_year(expert, on.year),
        limit=expert.monthly_earnings_limit,
        on=on,
    )
