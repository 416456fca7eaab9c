"""Who records what an expert meets, and who sets an order's requirements."""

import rules

from kokemustori.core.permissions import predicate
from kokemustori.experts.rules import coordinates_expert, is_self
from kokemustori.orders.models import OrderState
from kokemustori.orders.workflow import COORDINATOR, ORDERER, roles_on

# An order's requirements are set while experts are still to be found.
SETTABLE = (OrderState.SUBMITTED, OrderState.NEEDS_CHANGES, OrderState.MATCHING, OrderState.OFFERED)


def coordinates_order(user, order):
    return order is not None and COORDINATOR in roles_on(order, user)


coordinates_order = predicate(coordinates_order)


def on_the_order(user, order):
    return order is not None and bool({COORDINATOR, ORDERER} & roles_on(order, user))


on_the_order = predicate(on_the_order)


def still_settable(user, order):
    return order is not None and order.state in SETTABLE


still_settable = predicate(still_settable)


# Only the expert's own coordinators record (and read) what the expert meets; the expert sees
# their own record.
rules.add_perm("requirements.record_for_expert", coordinates_expert)
rules.add_perm("requirements.view_own", is_self)
rules.add_perm("requirements.set_for_order", coordinates_order & still_settable)
rules.add_perm("requirements.view_for_order", on_the_order)
