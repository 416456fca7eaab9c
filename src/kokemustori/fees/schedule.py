"""The fee an order brings: the figure the orderer offered, or the background organisation's
fee schedule when the orderer accepted it instead of naming a figure."""

from decimal import ROUND_HALF_UP, Decimal

from kokemustori.orders.models import FeeChoice
from kokemustori.tasktypes.models import FeeBasis

from .models import FeeSchedule

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def scheduled_fee(organisation, order) -> Decimal | None:
    """The schedule's figure for this order's task type, or None when there is no row.

    Per event and per meeting: the amount. Per hour: the amount times the hours of the event
    and its preparation (e.g. €25/h for group leading and preparation)."""
    if organisation is None or not order.task_type_id:
        return None
    row = FeeSchedule.objects.filter(
        organisation=organisation, task_type_id=order.task_type_id
    ).first()
    if row is None:
        return None
    if row.basis == FeeBasis.PER_HOUR:
        minutes = (order.event_minutes or 0) + (order.preparation_minutes or 0)
        return (row.amount * Decimal(minutes) / Decimal(60)).quantize(CENT, ROUND_HALF_UP)
    return row.amount


def order_fee(order, organisation) -> Decimal:
    """What one expert of `organisation` earns from `order` (before any fee is declined)."""
    if order.fee_amount is not None:
        return order.fee_amount
    if order.fee_choice == FeeChoice.SCHEDULE:
        return scheduled_fee(organisation, order) or ZERO
    return ZERO
