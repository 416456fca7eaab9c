"""The fee an order brings (see orders.fees, where the rule lives: the figure the orderer
offered, or the covering row of the organisation's fee schedule; never a silent zero)."""

from decimal import Decimal

from kokemustori.orders.fees import FeeQuote, quote

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

__all__ = ["CENT", "ZERO", "FeeQuote", "order_fee", "quote"]


def order_fee(order, organisation) -> Decimal | None:
    """What one expert of `organisation` earns from `order` (before any fee is declined), or
    None when it is not known."""
    fee = quote(order, organisation)
    return fee.amount if fee is not None else None
