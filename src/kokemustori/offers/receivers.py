"""What offers add to the order's page (docs/architecture.md)."""

from django.db.models import Count, Q
from django.dispatch import receiver

from kokemustori.orders import workflow
from kokemustori.orders.signals import order_page

from .models import OfferState


@receiver(order_page, dispatch_uid="offers.order_page")
def offers_on_order(sender, order, user, roles, **kwargs):
    offers = order.offers.select_related("expert__user", "expert__organisation")
    return {
        # Who was offered the order is for the coordinators in charge only.
        "offers": offers if workflow.COORDINATOR in roles else None,
        "offer_counts": order.offers.aggregate(
            open=Count("pk", filter=Q(state=OfferState.OPEN)),
            accepted=Count("pk", filter=Q(state=OfferState.ACCEPTED)),
        ),
    }
