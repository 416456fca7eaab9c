"""How agreements answer what the order and the offers announce (docs/architecture.md)."""

from django.dispatch import receiver

from kokemustori.offers.signals import offer_accepted
from kokemustori.orders.signals import order_transitioned, timeline_labels

from .services import TIMELINE_LABELS, cancel_all_for_order, create_for_offer


@receiver(offer_accepted, dispatch_uid="agreements.offer_accepted")
def make_agreement(sender, offer, **kwargs):
    create_for_offer(offer)


@receiver(order_transitioned, dispatch_uid="agreements.order_transitioned")
def cancel_with_order(sender, order, event, actor, **kwargs):
    # A cancelled order leaves no agreement pending and no offer open.
    if event.action == "cancel":
        cancel_all_for_order(order, actor=actor, reason=event.reason)


@receiver(timeline_labels, dispatch_uid="agreements.timeline_labels")
def agreement_notes(sender, **kwargs):
    return TIMELINE_LABELS
