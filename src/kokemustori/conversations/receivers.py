"""What conversations add to the order's page and to the expert's offer page
(docs/architecture.md, "Signals")."""

from django.dispatch import receiver

from kokemustori.offers.signals import offer_page
from kokemustori.orders.signals import order_page

from .pages import offer_section, order_section


@receiver(order_page, dispatch_uid="conversations.order_page")
def messages_on_order(sender, order, user, **kwargs):
    return {"conversation": order_section(order, user)}


@receiver(offer_page, dispatch_uid="conversations.offer_page")
def messages_on_offer(sender, offer, **kwargs):
    return {"conversation": offer_section(offer)}
