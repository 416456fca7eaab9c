"""What requirements add to the order's page (docs/architecture.md)."""

import rules
from django.dispatch import receiver

from kokemustori.orders.signals import order_page

from .checks import needs_of


@receiver(order_page, dispatch_uid="requirements.order_page")
def requirements_on_order(sender, order, user, roles, **kwargs):
    return {
        "order_requirements": needs_of(order).texts(),
        "can_set_requirements": rules.has_perm("requirements.set_for_order", user, order),
    }
