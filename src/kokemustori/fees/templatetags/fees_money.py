from django import template

from kokemustori.core import money

from ..earnings import would_cross_limit
from ..schedule import order_fee

register = template.Library()


@register.filter
def euros(value):
    """A sum of money in the reader's language: "250,00 €" (fi, sv), "€250.00" (en)."""
    return money.euros(value)


@register.inclusion_tag("fees/_room.html")
def earnings_room(expert, order, fee=None):
    """For the expert's own coordinators: the fee of this order for the expert and the room
    left under their earnings limits (month, year) — never why they have a limit. `fee` is
    the offer's figure; by default the order's figure for the expert's organisation."""
    if fee is None:
        fee = _order_fee_cached(order, expert.organisation_id)
    return {"fee": fee, "check": _check(expert, order, fee)}


def _order_fee_cached(order, organisation_id):
    """One look-up of the schedule per organisation on a page listing many experts."""
    cache = order.__dict__.setdefault("_fee_by_organisation", {})
    if organisation_id not in cache:
        cache[organisation_id] = order_fee(order, organisation_id)
    return cache[organisation_id]


def _check(expert, order, fee):
    """Earnings are counted only for experts who recorded a limit: no limit, no warning."""
    if fee is None or (
        expert.monthly_earnings_limit is None and expert.yearly_earnings_limit is None
    ):
        return None
    return would_cross_limit(expert, order, fee=fee)


@register.inclusion_tag("fees/_room.html")
def offer_room(offer):
    """The same for an offer already sent, with the figure it was sent with."""
    fee = offer.fee_amount
    if fee is None:
        fee = _order_fee_cached(offer.order, offer.expert.organisation_id)
    return {"fee": fee, "check": _check(offer.expert, offer.order, fee)}
