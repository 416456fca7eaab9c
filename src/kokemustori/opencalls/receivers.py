"""What open calls answer (docs/architecture.md): a call closes when its order no longer
looks for experts; the order's page shows the call."""

import rules
from django.dispatch import receiver

from kokemustori.orders.models import OrderState
from kokemustori.orders.signals import order_page, order_transitioned

from . import services
from .models import OpenCall

# When the order reaches one of these, nobody more is needed through its call.
CLOSES_CALL = (OrderState.AGREED, OrderState.CANCELLED, OrderState.NEEDS_CHANGES)


@receiver(order_transitioned, dispatch_uid="opencalls.order_transitioned")
def close_when_no_longer_needed(sender, order, event, actor, **kwargs):
    if order.state in CLOSES_CALL:
        call = OpenCall.objects.filter(order=order, state="open").first()
        if call is not None:
            services.close(call, actor=actor)


@receiver(order_page, dispatch_uid="opencalls.order_page")
def call_on_order(sender, order, user, roles, **kwargs):
    if not rules.has_perm("opencalls.manage", user, order):
        return {}
    call = OpenCall.objects.filter(order=order).first()
    return {
        "open_call": {
            "call": call,
            "interested": call.interests.count() if call else 0,
            "can_publish": order.state in services.PUBLISHABLE
            and (call is None or not call.is_open),
        }
    }
