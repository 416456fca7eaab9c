"""An expert's earnings, for the monthly and calendar-year earnings limits of a pension or
allowance.

Earnings are counted from fee records, and from agreements of accepted offers that have no fee
record yet (the agreement's written figure), by the day of the assignment in Finnish time.
A declined fee is never counted; cancelled agreements and orders are not counted either.
Expenses are reimbursements, not earnings.
"""

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from kokemustori.agreements.models import Agreement, AgreementState
from kokemustori.offers.models import FeeType, OfferState
from kokemustori.orders.models import OrderState

from .models import FeeRecord
from .schedule import ZERO, order_fee
from .signals import earnings_elsewhere


def _tz():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def today() -> date:
    return timezone.localtime(timezone.now(), _tz()).date()


def _month_range(year: int, month: int) -> tuple[date, date]:
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return start, end


def _earnings(expert, start: date, end: date, *, exclude_order=None):
    """Fees of assignments on days start <= day < end: fee records, and the written figure of
    agreements that have no fee record yet."""
    records = FeeRecord.objects.filter(
        expert=expert, assignment_date__gte=start, assignment_date__lt=end
    ).exclude(fee_type=FeeType.DECLINED)
    tz = _tz()
    agreed = (
        Agreement.objects.filter(
            expert=expert,
            offer__state=OfferState.ACCEPTED,
            starts_at__gte=datetime(start.year, start.month, start.day, tzinfo=tz),
            starts_at__lt=datetime(end.year, end.month, end.day, tzinfo=tz),
            fee_record__isnull=True,
        )
        .exclude(fee_type=FeeType.DECLINED)
        .exclude(state=AgreementState.CANCELLED)
        .exclude(order__state=OrderState.CANCELLED)
    )
    if exclude_order is not None:
        records = records.exclude(agreement__order=exclude_order)
        agreed = agreed.exclude(order=exclude_order)
    elsewhere = ZERO
    for _receiver, answer in earnings_elsewhere.send(
        sender=FeeRecord, expert=expert, start=start, end=end, exclude_order=exclude_order
    ):
        # The apps above count their own work and take those orders out of the counts here.
        elsewhere += answer["amount"]
        records = records.exclude(agreement__order__in=answer["orders"])
        agreed = agreed.exclude(order__in=answer["orders"])
    total = records.aggregate(total=Sum("fee_amount"))["total"] or ZERO
    total += agreed.aggregate(total=Sum("fee_amount"))["total"] or ZERO
    return total + elsewhere


def earnings_in_month(expert, year: int, month: int):
    return _earnings(expert, *_month_range(year, month))


def earnings_in_year(expert, year: int):
    return _earnings(expert, date(year, 1, 1), date(year + 1, 1, 1))


MONTH, YEAR = "month", "year"


@dataclass(frozen=True)
class Room:
    """One limit (the month's or the calendar year's) against one assignment's fee."""

    period: str  # MONTH or YEAR
    limit: object  # Decimal, or None when the expert has recorded no such limit
    earned: object  # already earned in the period, this assignment excluded
    fee: object

    @property
    def total(self):
        return self.earned + self.fee

    @property
    def crosses(self) -> bool:
        return self.limit is not None and self.fee > 0 and self.total > self.limit

    @property
    def remaining(self):
        """How much may still be earned in the period before this assignment (never negative)."""
        if self.limit is None:
            return None
        return max(self.limit - self.earned, ZERO)

    @property
    def over_by(self):
        return max(self.total - self.limit, ZERO) if self.limit is not None else ZERO


@dataclass(frozen=True)
class LimitCheck:
    """Would this assignment take the expert over their monthly or yearly earnings limit?"""

    fee: object  # this assignment's fee for the expert (0 when declined)
    month: Room
    year: Room
    on: date  # the assignment's day

    @property
    def crosses(self) -> bool:
        return self.month.crosses or self.year.crosses

    @property
    def has_limit(self) -> bool:
        return self.month.limit is not None or self.year.limit is not None

    @property
    def rooms(self) -> list[Room]:
        """The limits the expert has recorded, month first."""
        return [room for room in (self.month, self.year) if room.limit is not None]


def would_cross_limit(expert, order, *, fee=None, fee_type=None) -> LimitCheck:
    """Check before the expert accepts `order`, with `fee` the figure of their offer (by
    default the order's figure for their organisation; unknown counts as 0 here, but such an
    order is never offered). With fee_type=DECLINED the fee is 0."""
    when = timezone.localtime(order.starts_at, _tz()).date() if order.starts_at else today()
    if fee_type == FeeType.DECLINED:
        fee = ZERO
    elif fee is None:
        fee = order_fee(order, expert.organisation) or ZERO
    month = Room(
        MONTH,
        expert.monthly_earnings_limit,
        _earnings(expert, *_month_range(when.year, when.month), exclude_order=order),
        fee,
    )
    year = Room(
        YEAR,
        expert.yearly_earnings_limit,
        _earnings(expert, date(when.year, 1, 1), date(when.year + 1, 1, 1), exclude_order=order),
        fee,
    )
    return LimitCheck(fee=fee, month=month, year=year, on=when)


def check_offer(offer, *, fee_type=None) -> LimitCheck:
    """The check for an offer, with the figure the offer was sent with."""
    return would_cross_limit(offer.expert, offer.order, fee=offer.fee_amount, fee_type=fee_type)


@dataclass(frozen=True)
class EarningsSummary:
    month: object
    year: object
    limit: object  # the monthly limit
    on: date
    yearly_limit: object = None

    @property
    def remaining(self):
        if self.limit is None:
            return None
        return max(self.limit - self.month, ZERO)

    @property
    def remaining_year(self):
        if self.yearly_limit is None:
            return None
        return max(self.yearly_limit - self.year, ZERO)

    @property
    def over_limit(self) -> bool:
        return self.limit is not None and self.month > self.limit

    @property
    def over_yearly_limit(self) -> bool:
        return self.yearly_limit is not None and self.year > self.yearly_limit


def summary(expert, on: date | None = None) -> EarningsSummary:
    on = on or today()
    return EarningsSummary(
        month=earnings_in_month(expert, on.year, on.month),
        year=earnings_in_year(expert, on.year),
        limit=expert.monthly_earnings_limit,
        yearly_limit=expert.yearly_earnings_limit,
        on=on,
    )
