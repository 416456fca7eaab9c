"""What follow-up adds to the order's page and timeline (docs/architecture.md)."""

from django.dispatch import receiver

from kokemustori.orders.models import OrderState
from kokemustori.orders.signals import order_page, timeline_labels

from .services import NOTE_LABELS, order_followup

FOLLOWUP_STATES = (OrderState.AGREED, OrderState.DONE, OrderState.DEBRIEFED, OrderState.CLOSED)


@receiver(order_page, dispatch_uid="followup.order_page")
def followup_on_order(sender, order, user, roles, **kwargs):
    return {"followup": order_followup(order, user) if order.state in FOLLOWUP_STATES else []}


@receiver(timeline_labels, dispatch_uid="followup.timeline_labels")
def followup_notes(sender, **kwargs):
    return NOTE_LABELS
