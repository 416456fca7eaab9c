from django import template

from kokemustori.core.money import euros

from ..durations import format_minutes
from ..fees import FeeQuote, quote_text, quotes_in_charge
from ..models import FeeChoice
from ..timeline import actor_label, event_label

register = template.Library()


@register.filter
def step_label(event):
    return event_label(event)


@register.filter
def step_actor(event):
    return actor_label(event)


@register.filter
def hours(minutes):
    """90 -> '1 h 30 min'."""
    if minutes in (None, ""):
        return "–"
    return format_minutes(int(minutes))


@register.inclusion_tag("orders/_fee.html", takes_context=True)
def order_fee(context, order, offer=None):
    """The fee in euros: the offer's figure when there is an offer, else the order's figure
    for each organisation in charge (the whole network: each organisation's own)."""
    if offer is not None and getattr(offer, "fee_amount", None) is not None:
        fee = FeeQuote(
            amount=offer.fee_amount,
            from_schedule=bool(offer.fee_basis),
            basis=offer.fee_basis,
            rate=offer.fee_rate,
            hours=offer.fee_hours,
        )
        return {"single": quote_text(fee), "order": order}
    if order.fee_choice == FeeChoice.OFFERED:
        single = euros(order.fee_amount) if order.fee_amount is not None else ""
        return {"single": single, "order": order, "unknown": not single}
    if order.fee_choice == FeeChoice.SCHEDULE and order.task_type_id:
        rows = [
            {"organisation": org, "text": quote_text(fee) if fee else ""}
            for org, fee in quotes_in_charge(order)
        ]
        if order.organisation_id:
            text = rows[0]["text"] if rows else ""
            return {"single": text, "order": order, "unknown": not text, "schedule": True}
        known = [row for row in rows if row["text"]]
        return {"rows": known, "order": order, "unknown": not known, "schedule": True}
    return {"order": order, "unknown": True}


@register.filter
def fee_text(item):
    """An offer's or agreement's figure with how it was reckoned, e.g. "137,50 € (5,5 h ×
    25,00 € an hour, by the background organisation's fee schedule)"."""
    amount = getattr(item, "fee_amount", None)
    if amount is None:
        return ""
    return quote_text(
        FeeQuote(
            amount=amount,
            basis=getattr(item, "fee_basis", ""),
            rate=getattr(item, "fee_rate", None),
            hours=getattr(item, "fee_hours", None),
        )
    )
