"""Which fee records a user may see, what is overdue, and the totals of a list."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q, Sum

from kokemustori.core.roles import coordinated_organisation_ids
from kokemustori.offers.models import FeeType

from .models import PAYMENT_TARGET_DAYS, FeeRecord, FeeStatus
from .schedule import ZERO

RELATED = (
    "expert__user",
    "expert__identity_confirmation",
    "organisation",
    "agreement__order",
    "approved_by",
    "paid_by",
)


def coordinator_records(user):
    """Fee records of the organisations the user coordinates."""
    return FeeRecord.objects.filter(
        organisation_id__in=coordinated_organisation_ids(user)
    ).select_related(*RELATED)


def expert_records(expert):
    return (
        FeeRecord.objects.filter(expert=expert)
        .select_related(*RELATED)
        .order_by("-assignment_date", "-pk")
    )


def overdue(records, today: date) -> list[FeeRecord]:
    """Not yet paid more than PAYMENT_TARGET_DAYS days after the assignment, oldest first.
    Each record gets `days_since_assignment` and `days_overdue` (days past the target)."""
    last_on_time = today - timedelta(days=PAYMENT_TARGET_DAYS)
    late = list(
        records.exclude(status=FeeStatus.PAID)
        .filter(assignment_date__lt=last_on_time)
        .order_by("assignment_date", "pk")
    )
    for record in late:
        record.days_since_assignment = (today - record.assignment_date).days
        record.days_overdue = (today - record.due_date).days
    return late


@dataclass(frozen=True)
class Totals:
    count: int
    fees: object
    expenses: object

    @property
    def total(self):
        return self.fees + self.expenses


def totals(records) -> Totals:
    sums = records.order_by().aggregate(
        fees=Sum("fee_amount", filter=~Q(fee_type=FeeType.DECLINED)),
        expenses=Sum("expenses_amount"),
    )
    return Totals(
        count=records.count(),
        fees=sums["fees"] or ZERO,
        expenses=sums["expenses"] or ZERO,
    )
